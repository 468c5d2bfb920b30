"""Uploads stay in memory: a survivor's passport scan must never sit in a temporary file.

Django writes uploads above 2.5 MB to a temporary file on disk, in plaintext. These
handlers keep every upload in memory and drop it beyond a limit instead.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile


class MemoryUploadUpTo(FileUploadHandler):
    """Keep an upload in memory, never in a temporary file, and drop it beyond `limit` bytes."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.too_large = False

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.file = io.BytesIO()

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.too_large = True
            raise SkipFile
        self.file.write(raw_data)

    def file_complete(self, file_size):
        self.file.seek(0)
        return InMemoryUploadedFile(
            self.file,
            self.field_name,
            self.file_name,
            self.content_type,
            file_size,
            self.charset,
            self.content_type_extra,
        )


class MemoryOnlyUploadHandler(MemoryUploadUpTo):
    """The project-wide handler (FILE_UPLOAD_HANDLERS): in memory, at most
    AFTERCARE_MAX_UPLOAD_BYTES."""

    def __init__(self, request=None):
        super().__init__(request, settings.AFTERCARE_MAX_UPLOAD_BYTES)
