"""Blind indexes of persons: keyed digests of normalised names and identifiers, for exact lookup
without decrypting. See docs/names.md for how spellings across scripts meet."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from asylon.common.crypto.keyring import keyring
from asylon.people.models import LookupKind, Person, PersonLookup
from asylon.people.names import identifier_key, name_keys

NAME_FIELDS = ("given_name", "family_name", "patronymic")
LOOKUP_FIELDS = (*NAME_FIELDS, "name_variants", "identifiers")


_DIGEST_MEMO: ContextVar[dict[tuple[str, str], Any] | None] = ContextVar("digest_memo", default=None)


@contextmanager
def name_digests_memoised() -> Iterator[None]:
    """Within the block `name_digests` and `identifier_digest` derive each distinct text's digests once:
    an import's names repeat, and the duplicate search digests what the blind index just did. The memo
    lives only as long as the block (one import run), never across key changes."""
    token = _DIGEST_MEMO.set({})
    try:
        yield
    finally:
        _DIGEST_MEMO.reset(token)


def name_digests(text: str) -> list[bytes]:
    """The digests of every name token in `text` (several tokens for a full name)."""
    memo = _DIGEST_MEMO.get()
    found = memo.get((LookupKind.NAME, text)) if memo is not None else None
    if found is None:
        found = [keyring().blind_index(LookupKind.NAME, key) for key in name_keys(text)]
        if memo is not None:
            memo[(LookupKind.NAME, text)] = found
    return list(found)


def identifier_digest(text: str) -> bytes | None:
    memo = _DIGEST_MEMO.get()
    if memo is not None and (LookupKind.IDENTIFIER, text) in memo:
        return memo[(LookupKind.IDENTIFIER, text)]  # type: ignore[no-any-return]
    key = identifier_key(text)
    digest = keyring().blind_index(LookupKind.IDENTIFIER, key) if key else None
    if memo is not None:
        memo[(LookupKind.IDENTIFIER, text)] = digest
    return digest


def _variant_texts(variants: object) -> Iterable[str]:
    """Other spellings are stored as strings or as {given, family, patronymic} objects."""
    for variant in variants if isinstance(variants, list) else []:
        if isinstance(variant, str):
            yield variant
        elif isinstance(variant, dict):
            yield from (str(value) for key, value in variant.items() if key in NAME_FIELDS and value)


def lookup_digests(person: Person) -> list[tuple[str, bytes]]:
    """(kind, digest) of every name token and identifier of a person, without duplicates."""
    digests: dict[tuple[str, bytes], None] = {}
    texts = [getattr(person, field) or "" for field in NAME_FIELDS]
    texts.extend(_variant_texts(person.name_variants))
    for text in texts:
        for digest in name_digests(text):
            digests[(LookupKind.NAME, digest)] = None
    for identifier in person.identifiers if isinstance(person.identifiers, list) else []:
        number = identifier.get("number", "") if isinstance(identifier, dict) else str(identifier)
        identifier = identifier_digest(number)
        if identifier:
            digests[(LookupKind.IDENTIFIER, identifier)] = None
    return list(digests)


def lookup_rows(person: Person) -> list[PersonLookup]:
    """Unsaved lookup rows for every name token and identifier of a person, without duplicates."""
    return [
        PersonLookup(organisation_id=person.organisation_id, person=person, kind=kind, digest=digest)
        for kind, digest in lookup_digests(person)
    ]


def lookups_refresh(person: Person) -> None:
    """Replace a person's lookup rows after their names or identifiers changed."""
    PersonLookup.objects.filter(person=person).delete()
    PersonLookup.objects.bulk_create(lookup_rows(person))
