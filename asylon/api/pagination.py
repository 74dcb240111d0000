"""Cursor pagination: stable pages over lists that change while a client walks them, and no total
count (counting a broad filter costs as much as finding every match, docs/architecture.md)."""

from __future__ import annotations

from rest_framework.pagination import CursorPagination

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class NewestFirst(CursorPagination):
    """Pages of records, newest first; `page_size` from 1 to MAX_PAGE_SIZE."""

    ordering: tuple[str, ...] = ("-created_at", "-id")
    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


class ByPosition(NewestFirst):
    """Vocabulary terms in their display order."""

    ordering = ("position", "code", "id")
