"""Hand-built protected tables for the chart, CSV and open-data tests (no database needed)."""

from __future__ import annotations

import datetime

from asylon.reports.statistics.questions import Question
from asylon.reports.statistics.tables import CellState, DisclosureRule, ProtectedTable, PublishedValue

AS_OF = datetime.datetime(2026, 11, 26, 12, 0, tzinfo=datetime.UTC)
SUPPRESSED = PublishedValue(None, CellState.SUPPRESSED)


def shown(value: int) -> PublishedValue:
    return PublishedValue(value, CellState.PUBLISHED)


def two_way() -> ProtectedTable:
    """Threats by year and citizenship, with one suppressed cell per row and column of 2022/2024."""
    question = Question.build("event", of=["declared_national_security_threat"], by=["year", "citizenship"])
    cells = {
        ("2022", "BY"): shown(12),
        ("2022", "RU"): SUPPRESSED,
        ("2023", "BY"): shown(40),
        ("2023", "RU"): shown(9),
        ("2024", "BY"): SUPPRESSED,
        ("2024", "RU"): shown(6),
    }
    return ProtectedTable(
        question=question,
        rows=("2022", "2023", "2024"),
        columns=("BY", "RU"),
        cells=cells,
        row_totals={"2022": shown(15), "2023": shown(49), "2024": shown(10)},
        column_totals={"BY": shown(55), "RU": shown(17)},
        total=shown(72),
        rule=DisclosureRule(threshold=5),
        as_of=AS_OF,
    )


def one_way(labels: tuple[str, ...] = ("d0_7", "d8_30", "y5_plus")) -> ProtectedTable:
    """Entry bans by length; the middle band suppressed."""
    values = [shown(30), SUPPRESSED, shown(7)]
    return ProtectedTable(
        question=Question.build("entry_ban", by=["length"]),
        rows=labels,
        columns=(),
        cells={(label,): value for label, value in zip(labels, values, strict=True)},
        row_totals={},
        column_totals={},
        total=shown(40),
        rule=DisclosureRule(threshold=5, rounding_base=5),
        as_of=AS_OF,
    )


def wide(rows: int, columns: int = 2) -> ProtectedTable:
    """A two-way table of grounds by sex with rows × columns cells, every third suppressed."""
    row_codes = tuple(f"g{index}" for index in range(rows))
    column_codes = tuple(f"s{index}" for index in range(columns))
    cells = {
        (row, column): SUPPRESSED if (index * columns + position) % 3 == 0 else shown(index + position + 5)
        for index, row in enumerate(row_codes)
        for position, column in enumerate(column_codes)
    }
    return ProtectedTable(
        question=Question.build("decision", by=["grounds", "sex"]),
        rows=row_codes,
        columns=column_codes,
        cells=cells,
        row_totals={row: SUPPRESSED for row in row_codes},
        column_totals={column: SUPPRESSED for column in column_codes},
        total=shown(100),
        rule=DisclosureRule(threshold=5),
        as_of=AS_OF,
    )


def total_only() -> ProtectedTable:
    """A question without breakdown: the grand total alone."""
    return ProtectedTable(
        question=Question.build("detention"),
        rows=(),
        columns=(),
        cells={},
        row_totals={},
        column_totals={},
        total=shown(25),
        rule=DisclosureRule(threshold=5),
        as_of=AS_OF,
    )
