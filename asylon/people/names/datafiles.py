"""Read the JSON tables shipped in ``asylon/people/names/data/``."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def load_table(filename: str) -> Any:
    """Return the parsed JSON of one data file of this package."""
    text = resources.files(__package__).joinpath("data").joinpath(filename).read_text(encoding="utf-8")
    return json.loads(text)
