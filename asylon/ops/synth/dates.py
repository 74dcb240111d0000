"""Dates for synthetic stories: the 2020–2025 window, random days, and how precisely a date is known."""

from __future__ import annotations

import datetime
import random

FIRST_DAY = datetime.date(2020, 1, 1)
LAST_DAY = datetime.date(2025, 12, 31)

DAY, MONTH, YEAR, APPROXIMATE = "day", "month", "year", "approximate"
# What a person or their relatives remember about events at home is often a month or a year;
# what authorities in the host country served on them is dated to the day.
ORIGIN_PRECISION = ((DAY, MONTH, YEAR, APPROXIMATE), (45, 35, 10, 10))
HOST_PRECISION = ((DAY, MONTH, APPROXIMATE), (85, 10, 5))


def day_between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    """A uniformly random day in [start, end] (start when the range is empty)."""
    span = (end - start).days
    return start if span <= 0 else start + datetime.timedelta(days=rng.randint(0, span))


def days_after(rng: random.Random, start: datetime.date, low: int, high: int) -> datetime.date:
    """A day between `low` and `high` days after `start`."""
    return start + datetime.timedelta(days=rng.randint(low, high))


def in_window(day: datetime.date) -> bool:
    """Whether a day falls inside the synthetic period (later events have not happened yet)."""
    return FIRST_DAY <= day <= LAST_DAY


def origin_precision(rng: random.Random) -> str:
    """How precisely an event in the country of origin is known."""
    return rng.choices(*ORIGIN_PRECISION)[0]


def host_precision(rng: random.Random) -> str:
    """How precisely a host-country event without a served decision is known."""
    return rng.choices(*HOST_PRECISION)[0]
