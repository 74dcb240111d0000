"""Uploads stay in memory, never in a clear temporary file, and stop growing past the size limit.

Django writes uploads above FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file in clear text, which a
seized disk could give back (threat model). This handler keeps the first limit + 1 bytes in memory
and counts the rest, so the form sees the real size and refuses it without holding it all.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler


class BoundedMemoryUploadHandler(MemoryFileUploadHandler):
    """MemoryFileUploadHandler for every size, keeping at most `limit` + 1 bytes (ASYLON_MAX_DOCUMENT_BYTES
    unless another limit is given, as the spreadsheet import does)."""

    def __init__(self, request: Any = None, limit: int | None = None) -> None:
        super().__init__(request)
        self.limit = settings.ASYLON_MAX_DOCUMENT_BYTES if limit is None else limit

    def handle_raw_input(self, *args: Any, **kwargs: Any) -> None:
        super().handle_raw_input(*args, **kwargs)
        self.activated = True

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        room = self.limit + 1 - self.file.tell()
        if room > 0:
            self.file.write(raw_data[:room])
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile | None:
        self.file.seek(0)
        return InMemoryUploadedFile(
            file=self.file,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,  # the size sent, which may exceed what was kept
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
