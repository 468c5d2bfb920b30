"""Files kept encrypted in storage, written and read in chunks so their size costs no memory.

A sealed file is a sequence of frames: a 4-byte length, then a Fernet token (the field keys,
aftercare.core.crypto) of at most CHUNK bytes of the file with a header naming the frame's
number and whether it is the last. Reading checks both, so a file cut short, or frames
dropped or reordered in storage, fail to read instead of giving a shorter file.

The writer spools the *encrypted* frames to an anonymous temporary file, then hands that to
the storage (the local disk, or S3-compatible object storage through django-storages, which
uploads it in parts). Nothing in plaintext reaches the disk or the bucket here.
"""

from __future__ import annotations

import struct
import tempfile
from collections.abc import Iterator

from django.core.files import File
from django.core.files.storage import storages

from aftercare.core import crypto

CHUNK = 1 << 20  # 1 MiB of plaintext a frame
LENGTH = struct.Struct(">I")
HEADER = struct.Struct(">QB")  # frame number, last frame


class SealedFileDamaged(crypto.DecryptionFailed):
    """The frames do not decrypt, are out of order, or the last one is missing."""


def storage():
    """Where export files and uploaded documents' sealed copies go (STORAGES["sealed"])."""
    return storages["sealed"]


class SealedWriter:
    """A write-only binary file that encrypts what it is given, a chunk at a time."""

    def __init__(self):
        self._spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by store()
        self._pending = bytearray()
        self._frame = 0
        self.size = 0  # plaintext bytes written

    def write(self, data) -> int:
        if isinstance(data, str):
            data = data.encode("utf-8")
        self._pending += data
        self.size += len(data)
        while len(self._pending) >= CHUNK:
            self._seal(bytes(self._pending[:CHUNK]), last=False)
            del self._pending[:CHUNK]
        return len(data)

    def flush(self) -> None:
        """Nothing to do: a frame is sealed once a whole chunk is pending (zipfile calls this)."""

    def _seal(self, data: bytes, *, last: bool) -> None:
        token = crypto.encrypt_bytes(HEADER.pack(self._frame, int(last)) + data)
        self._spool.write(LENGTH.pack(len(token)))
        self._spool.write(token)
        self._frame += 1

    def store(self, name: str, into=None) -> str:
        """Seal the rest, save the encrypted file under `name`; returns the name the storage
        chose."""
        self._seal(bytes(self._pending), last=True)
        self._pending.clear()
        self._spool.seek(0)
        try:
            return (into or storage()).save(name, File(self._spool, name=name))
        finally:
            self._spool.close()

    def discard(self) -> None:
        self._spool.close()


def read_chunks(name: str, source=None) -> Iterator[bytes]:
    """The plaintext of a sealed file, chunk by chunk (for a streaming response)."""
    with (source or storage()).open(name, "rb") as handle:
        expected, finished = 0, False
        while True:
            prefix = handle.read(LENGTH.size)
            if not prefix:
                break
            if finished or len(prefix) != LENGTH.size:
                raise SealedFileDamaged("data after the last frame, or a frame cut short")
            (length,) = LENGTH.unpack(prefix)
            token = handle.read(length)
            if len(token) != length:
                raise SealedFileDamaged("a frame cut short")
            plain = crypto.decrypt_bytes(token)
            number, last = HEADER.unpack_from(plain)
            if number != expected:
                raise SealedFileDamaged("frames missing or out of order")
            expected, finished = expected + 1, bool(last)
            if len(plain) > HEADER.size:
                yield plain[HEADER.size :]
        if not finished:
            raise SealedFileDamaged("the last frame is missing")


def read_all(name: str, source=None) -> bytes:
    return b"".join(read_chunks(name, source))


def delete(name: str, source=None) -> None:
    if name:
        (source or storage()).delete(name)
