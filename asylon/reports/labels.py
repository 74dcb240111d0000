"""Reading a protected table for display: its dimensions, their labels, and its cells in long form.

Charts, CSV files, the open-data package and the statistics pages all show a ProtectedTable the
same way; they read it through these functions so a label or a margin is never spelt twice.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, cast

from django.utils.text import capfirst
from django.utils.translation import gettext

from asylon.reports.statistics.tables import ProtectedTable, PublishedValue

if TYPE_CHECKING:
    from asylon.reports.statistics.questions import Question

# Dimensions whose values are points in time: charted as upright bars in their own order.
TIME_DIMENSIONS = frozenset({"year", "half", "quarter"})


@dataclasses.dataclass(frozen=True)
class Line:
    """One published number in long form: a cell, a row or column total, or the grand total.
    An empty code means "all values" of that dimension (a margin)."""

    row: str
    row_label: str
    column: str
    column_label: str
    published: PublishedValue
    margin: bool


def breakdowns(table: ProtectedTable) -> tuple[str | None, str | None]:
    """The row and column dimension names of a table (None where it has no such breakdown)."""
    by = cast("Question", table.question).by
    return (by[0] if by else None, by[1] if len(by) > 1 else None)


def _dimension(name: str | None) -> Any:
    if not name:
        return None
    from asylon.reports.statistics.measures import DIMENSIONS

    return DIMENSIONS.get(name)


def dimension_label(name: str | None) -> str:
    """The translated name of a dimension ("Citizenship"), or the name itself if unknown."""
    dimension = _dimension(name)
    return capfirst(str(getattr(dimension, "label", None) or name or ""))


def value_label(name: str | None, code: str) -> str:
    """The translated label of one value of a dimension (a country name, a term's label)."""
    return value_labels(name, (code,))[code]


def value_labels(name: str | None, codes: Iterable[str]) -> dict[str, str]:
    """Code -> translated label for several values of one dimension (one query for vocabulary terms).
    The empty code is the margin ("All")."""
    codes = tuple(codes)
    dimension = _dimension(name)
    labels = {code: code or gettext("All") for code in codes}
    if dimension is None:
        return labels
    if dimension.kind == "vocabulary":
        from asylon.reports.statistics.measures import UNKNOWN, term_labels

        terms = term_labels(dimension.vocabulary or "")
        return {
            code: str(dimension.value_label(code)) if code == UNKNOWN else terms.get(code, label)
            for code, label in labels.items()
        }
    return {code: str(dimension.value_label(code)) if code else label for code, label in labels.items()}


def question_in_words(table: ProtectedTable) -> str:
    """The question a table answers, in words (translated)."""
    from asylon.reports.statistics.aggregates import describe

    return describe(cast("Question", table.question))


def lines(table: ProtectedTable, *, margins: bool = True) -> Iterator[Line]:
    """Every published number of the table: the cells in display order, then (if asked) the row
    totals, the column totals and the grand total. A table without breakdown yields its total only."""
    row_dimension, column_dimension = breakdowns(table)
    rows, columns, cells = table.rows, table.columns, table.cells
    row_labels = value_labels(row_dimension, rows)
    column_labels = value_labels(column_dimension, columns)
    everything = gettext("All")
    if row_dimension is not None:
        for row in rows:
            if columns:
                for column in columns:
                    yield Line(row, row_labels[row], column, column_labels[column], cells[(row, column)], False)
            else:
                yield Line(row, row_labels[row], "", "", cells[(row,)], False)
    if not margins and row_dimension is not None:
        return
    if columns:
        for row in rows:
            yield Line(row, row_labels[row], "", everything, table.row_totals[row], True)
        for column in columns:
            yield Line("", everything, column, column_labels[column], table.column_totals[column], True)
    yield Line("", everything, "", everything if columns else "", table.total, True)


@dataclasses.dataclass(frozen=True)
class Grid:
    """A table laid out for reading: a header row, then one row per category (label and values),
    the last row and column being the totals ("All")."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, tuple[PublishedValue, ...]], ...]
    column_title: str = ""  # the column dimension's name, over the value columns of a two-way table


def grid(table: ProtectedTable) -> Grid:
    """The table as a cross-tabulation with its margins (a one-way table: one value column)."""
    row_dimension, column_dimension = breakdowns(table)
    everything = gettext("All")
    if row_dimension is None:
        return Grid(("", gettext("People")), ((everything, (table.total,)),))
    row_labels = value_labels(row_dimension, table.rows)
    if not table.columns:
        column = [(row_labels[row], (table.cells[(row,)],)) for row in table.rows]
        return Grid((dimension_label(row_dimension), gettext("People")), (*column, (everything, (table.total,))))
    column_labels = value_labels(column_dimension, table.columns)
    header = (dimension_label(row_dimension), *(column_labels[column] for column in table.columns), everything)
    body: list[tuple[str, tuple[PublishedValue, ...]]] = [
        (
            row_labels[row],
            (*(table.cells[(row, column)] for column in table.columns), table.row_totals[row]),
        )
        for row in table.rows
    ]
    totals = (*(table.column_totals[column] for column in table.columns), table.total)
    return Grid(header, (*body, (everything, totals)), dimension_label(column_dimension))
