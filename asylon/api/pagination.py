"""Cursor pagination: stable pages over lists that change while a client walks them, and no total
count (counting a broad filter costs as much as finding every match, docs/architecture.md)."""

from __future__ import annotations

from typing import Any

from rest_framework.pagination import CursorPagination
from rest_framework.request import Request

from asylon.audit import reads

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class NewestFirst(CursorPagination):
    """Pages of personal-data records, newest first; `page_size` from 1 to MAX_PAGE_SIZE. The rows of
    the page are noted for the read audit (not the extra row fetched to know whether one more page exists)."""

    ordering = ("-created_at", "-id")
    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param: str | None = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any] | None:
        page = super().paginate_queryset(queryset, request, view)
        return reads.shown(page) if page is not None else None


class PostedSearch(NewestFirst):
    """Pages of a search posted in the body (the page size is the body's too, set by the view): the
    `next` and `previous` links are the search's own URL with a cursor, never the search text, and
    the next page is the same body posted to the `next` link."""

    page_size_query_param = None


class ByPosition(CursorPagination):
    """Vocabulary terms (reference data, not read-audited) in their display order."""

    ordering = ("position", "code", "id")
    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
