"""Sealed files: encrypted a chunk at a time on the way into storage (disk or S3), read back a
chunk at a time, and refused when frames are missing, reordered or cut short."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile

from aftercare.core import sealed
from aftercare.reports import exports


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(sealed, "CHUNK", 10)


def frames(raw: bytes) -> list[bytes]:
    out, at = [], 0
    while at < len(raw):
        (length,) = sealed.LENGTH.unpack_from(raw, at)
        out.append(raw[at : at + sealed.LENGTH.size + length])
        at += sealed.LENGTH.size + length
    return out


def stored_bytes(name: str) -> bytes:
    with sealed.storage().open(name, "rb") as handle:
        return handle.read()


def test_a_file_round_trips_in_many_chunks_and_holds_no_plaintext(small_chunks):
    writer = sealed.SealedWriter()
    for part in (b"case_code,status\n", b"AC-0001,active\n" * 20, b"", "AC-0002,closed\n"):
        writer.write(part)
    name = writer.store("exports/test.csv.sealed")
    expected = b"case_code,status\n" + b"AC-0001,active\n" * 20 + b"AC-0002,closed\n"
    chunks = list(sealed.read_chunks(name))
    assert len(chunks) > 10 and all(len(c) <= 10 for c in chunks)
    assert b"".join(chunks) == expected and writer.size == len(expected)
    raw = stored_bytes(name)
    assert b"AC-0001" not in raw and b"case_code" not in raw


def test_an_empty_file_round_trips():
    name = sealed.SealedWriter().store("exports/empty.sealed")
    assert sealed.read_all(name) == b""


@pytest.mark.parametrize("damage", ["drop_middle", "drop_last", "swap", "truncate", "append"])
def test_a_damaged_file_is_refused(small_chunks, damage):
    writer = sealed.SealedWriter()
    writer.write(b"x" * 45)
    name = writer.store("exports/damaged.sealed")
    parts = frames(stored_bytes(name))
    assert len(parts) == 5
    changed = {
        "drop_middle": parts[:2] + parts[3:],
        "drop_last": parts[:-1],
        "swap": [parts[1], parts[0], *parts[2:]],
        "truncate": [*parts[:-1], parts[-1][:-5]],
        "append": [*parts, parts[0]],
    }[damage]
    storage = sealed.storage()
    storage.delete(name)
    storage.save(name, ContentFile(b"".join(changed)))
    with pytest.raises(sealed.SealedFileDamaged):
        sealed.read_all(name)


def test_a_workbook_is_zipped_straight_into_a_sealed_file(small_chunks):
    from openpyxl import load_workbook

    writer = sealed.SealedWriter()
    rows = ([f"AC-{i:05d}", "active", i] for i in range(500))
    exports.write_workbook(writer, [("Caseload", ["case_code", "status", "n"], rows)])
    book = load_workbook(
        io.BytesIO(sealed.read_all(writer.store("exports/book.xlsx.sealed"))), read_only=True
    )
    values = list(book["Caseload"].iter_rows(values_only=True))
    assert (
        values[0] == ("case_code", "status", "n")
        and values[-1] == ("AC-00499", "active", 499)
        and len(values) == 501
    )


def test_sealed_files_go_to_s3_compatible_storage_when_a_bucket_is_configured(settings):
    boto3 = pytest.importorskip("boto3")
    moto = pytest.importorskip("moto")
    with moto.mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="aftercare-files")
        settings.STORAGES = {
            **settings.STORAGES,
            "sealed": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": "aftercare-files",
                    "region_name": "us-east-1",
                    "access_key": "test",
                    "secret_key": "test",
                    "location": "aftercare",
                    "file_overwrite": False,
                },
            },
        }
        writer = sealed.SealedWriter()
        writer.write(b"case_code\nAC-0001\n")
        name = writer.store("exports/s3.csv.sealed")
        stored = boto3.client("s3", region_name="us-east-1").get_object(
            Bucket="aftercare-files", Key=f"aftercare/{name}"
        )
        raw = stored["Body"].read()
        assert raw and b"AC-0001" not in raw
        assert sealed.read_all(name) == b"case_code\nAC-0001\n"
        sealed.delete(name)
        assert not sealed.storage().exists(name)
