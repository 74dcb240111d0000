"""The Big List of Naughty Strings (tests/data/blns.json), for bad-input tests."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

BLNS = Path(__file__).resolve().parent / "data" / "blns.json"


@cache
def naughty_strings() -> list[str]:
    """Every string of the list, in its order."""
    return json.loads(BLNS.read_text(encoding="utf-8"))
