"""Seeded random generators: synthetic data must be reproducible, so predictable generators are the point."""

from __future__ import annotations

import random


def generator(seed: int | str) -> random.Random:
    """A generator that yields the same sequence for the same seed (never used for secrets)."""
    return random.Random(seed)  # noqa: S311  # nosec B311
