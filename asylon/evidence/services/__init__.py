"""Writes for documents and sources: store encrypted, record custody, audit."""

from asylon.evidence.services.documents import document_content, document_store
from asylon.evidence.services.sources import source_create

__all__ = ["document_content", "document_store", "source_create"]
