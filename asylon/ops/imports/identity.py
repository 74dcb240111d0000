"""Who a row is, as keyed digests, so that importing the same file again finds what the first import made.

A person's natural key is the external-id column when it is mapped, else their normalised names (the
blind-index name keys, so Cyrillic and Latin spellings meet) with their birth date or year. An event's
key is its person, type, date and a digest of its text. Beside each key a digest of the values the
row carried tells an unchanged row from a changed one without decrypting anything.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from asylon.common.crypto.keyring import keyring
from asylon.ops.imports.validation import ParsedRow
from asylon.people.names import name_keys

# One encoder for every digest: `json.dumps` with options builds a new one per call.
_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=str)
EVENT_DATE = ("date_precision", "occurred_on", "year", "month")
PERSON_KEY, PERSON_ID_KEY, EVENT_KEY, CONTENT = "import.person", "import.person.id", "import.event", "import.content"


def _canonical(values: dict[str, Any]) -> str:
    def plain(value: Any) -> Any:
        return value.isoformat() if isinstance(value, datetime.date) else str(value) if value is not None else None

    return _ENCODER.encode(
        {name: plain(value) if not isinstance(value, list) else value for name, value in values.items()}
    )


def person_key(row: ParsedRow) -> bytes:
    """The person's natural key (external id, else names and birth date or year)."""
    if row.external_id:
        return keyring().blind_index(PERSON_ID_KEY, row.external_id.casefold())
    person = row.person
    names = "|".join(
        " ".join(name_keys(person.get(name) or "")) for name in ("family_name", "given_name", "patronymic")
    )
    birth = person.get("birth_date") or person.get("birth_year") or ""
    return keyring().blind_index(PERSON_KEY, f"{names}|{_canonical({'b': birth})}")


_DATE_TEXTS: ContextVar[dict[tuple[Any, ...], str] | None] = ContextVar("date_texts", default=None)


@contextmanager
def dates_memoised() -> Iterator[None]:
    """Within the block (one import run) each distinct event date is encoded once for the event keys:
    dates repeat across an import's events. The memo ends with the run."""
    token = _DATE_TEXTS.set({})
    try:
        yield
    finally:
        _DATE_TEXTS.reset(token)


def _date_text(event: dict[str, Any]) -> str:
    values = tuple(event.get(name) for name in EVENT_DATE)
    memo = _DATE_TEXTS.get()
    text = memo.get(values) if memo is not None else None
    if text is None:
        text = _canonical(dict(zip(EVENT_DATE, values, strict=True)))
        if memo is not None:
            memo[values] = text
    return text


def event_key(person_id: Any, event: dict[str, Any]) -> bytes:
    """The event's key: its person, type, date and text."""
    get = event.get
    date = _date_text(event)
    text = " ".join(str(get("description") or "").split())
    return keyring().blind_index(EVENT_KEY, f"{person_id}|{get('event_type_id')}|{date}|{text}")


def content_digest(values: dict[str, Any]) -> bytes:
    """A keyed digest of the values a row carried for one record."""
    return keyring().blind_index(CONTENT, _canonical(values))
