"""Count tables before and after disclosure control.

A CountTable holds true counts of distinct people and never leaves the statistics package: only a
ProtectedTable (after disclosure.protect) reaches a page, a report, a CSV or the API.
Cells are keyed by their coordinates, a tuple with one value per breakdown dimension (the empty
tuple for a question without breakdown). Margins are distinct-people counts of their own (a person
with events in two years counts once in the total), so they are queried, not summed.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum

from asylon.reports.statistics.questions import Question

Coordinates = tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class CountTable:
    """True counts. rows/columns list the category values in display order (columns empty for a
    one-way table). row_totals[row] counts the row's people across all columns (two-way only);
    column_totals likewise; total is the whole population."""

    question: Question
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: dict[Coordinates, int]
    row_totals: dict[str, int]
    column_totals: dict[str, int]
    total: int
    as_of: datetime.datetime


class CellState(enum.StrEnum):
    PUBLISHED = "published"
    SUPPRESSED = "suppressed"  # primary and secondary are not told apart in the output, on purpose


@dataclasses.dataclass(frozen=True)
class PublishedValue:
    """What may be shown of one count: value is None when suppressed (and rounded when the rule rounds)."""

    value: int | None
    state: CellState

    @property
    def suppressed(self) -> bool:
        return self.state is CellState.SUPPRESSED


@dataclasses.dataclass(frozen=True)
class DisclosureRule:
    """The rule applied, to be stated beside every published table and figure."""

    threshold: int
    rounding_base: int | None = None  # None or 1: exact counts

    def describe(self) -> str:
        from django.utils.translation import gettext

        text = gettext("Counts below %(k)d people are suppressed, with secondary suppression.") % {"k": self.threshold}
        if self.rounding_base and self.rounding_base > 1:
            text += " " + gettext("Published counts are rounded to the nearest %(base)d.") % {
                "base": self.rounding_base
            }
        return text


@dataclasses.dataclass(frozen=True)
class ProtectedTable:
    """A table after disclosure control: the same shape, every number a PublishedValue."""

    question: Question
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: dict[Coordinates, PublishedValue]
    row_totals: dict[str, PublishedValue]
    column_totals: dict[str, PublishedValue]
    total: PublishedValue
    rule: DisclosureRule
    as_of: datetime.datetime
