"""Given-name equivalence: Сяргей = Сергей = Сергій, one key for the forms of one given name."""

from __future__ import annotations

from .datafiles import load_table
from .skeleton import skeleton

GIVEN_NAME_PREFIX = "="


def _index_given_names() -> dict[str, str]:
    index: dict[str, str] = {}
    for entry in load_table("given_names.json")["names"]:
        forms = [*entry["ru"], *entry.get("be", []), *entry.get("uk", []), *entry.get("latin", [])]
        canonical = GIVEN_NAME_PREFIX + skeleton(entry["ru"][0])
        for form in forms:
            claimed_by = index.setdefault(skeleton(form), canonical)
            if claimed_by != canonical:
                raise ValueError(f"given_names.json: {form!r} ({canonical}) has the skeleton of {claimed_by}")
    return index


_GIVEN_NAMES = _index_given_names()


def given_name_key(skeleton_key: str) -> str | None:
    """The shared key of the given name whose forms have this skeleton, if the table lists one."""
    return _GIVEN_NAMES.get(skeleton_key)
