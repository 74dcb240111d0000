"""protect(): primary and secondary suppression, checked against an attacker's linear program written
here independently of the production audit."""

from __future__ import annotations

import dataclasses
import datetime

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from asylon.reports.statistics.disclosure import Unprotectable, protect, rounded
from asylon.reports.statistics.questions import Question
from asylon.reports.statistics.tables import CellState, CountTable, DisclosureRule, ProtectedTable, PublishedValue

AS_OF = datetime.datetime(2026, 11, 26, tzinfo=datetime.UTC)
SMALL_COUNTS = st.sampled_from([0, 0, 1, 1, 2, 2, 3, 4, 5, 6, 7, 9, 12, 20])


def two_way(values: list[list[int]]) -> CountTable:
    """An additive two-way table (margins are the sums of their cells)."""
    rows = tuple(f"r{i}" for i in range(len(values)))
    columns = tuple(f"c{j}" for j in range(len(values[0])))
    cells: dict[tuple[str, ...], int] = {
        (r, c): values[i][j] for i, r in enumerate(rows) for j, c in enumerate(columns)
    }
    return CountTable(
        question=Question.build("event", by=("citizenship", "year")),
        rows=rows,
        columns=columns,
        cells=cells,
        row_totals={r: sum(cells[(r, c)] for c in columns) for r in rows},
        column_totals={c: sum(cells[(r, c)] for r in rows) for c in columns},
        total=sum(cells.values()),
        as_of=AS_OF,
    )


def one_way(values: list[int]) -> CountTable:
    rows = tuple(f"r{i}" for i in range(len(values)))
    return CountTable(
        question=Question.build("event", by=("citizenship",)),
        rows=rows,
        columns=(),
        cells={(r,): v for r, v in zip(rows, values, strict=True)},
        row_totals={},
        column_totals={},
        total=sum(values),
        as_of=AS_OF,
    )


def attacker_ranges(table: CountTable, protected: ProtectedTable) -> dict[str, tuple[float, float]]:
    """Each suppressed count's [min, max] given every published count, additivity, and suppressed >= 1."""
    names: list[str] = []
    bounds: list[tuple[float, float | None]] = []

    def variable(name: str, shown: object) -> int:
        names.append(name)
        value = shown.value  # type: ignore[attr-defined]
        bounds.append((1, None) if value is None else (value, value))
        return len(names) - 1

    cell = {c: variable(f"cell {c}", v) for c, v in protected.cells.items()}
    row = {r: variable(f"row {r}", v) for r, v in protected.row_totals.items()}
    column = {c: variable(f"column {c}", v) for c, v in protected.column_totals.items()}
    total = variable("total", protected.total)
    equations = [(total, list(cell.values()))]
    equations += [(row[r], [cell[c] for c in cell if c[0] == r]) for r in row]
    equations += [(column[k], [cell[c] for c in cell if c[1] == k]) for k in column]
    matrix = np.zeros((len(equations), len(names)))
    for number, (whole, parts) in enumerate(equations):
        matrix[number, whole] = -1
        matrix[number, parts] = 1
    ranges = {}
    for position, name in enumerate(names):
        if bounds[position][1] is not None:
            continue
        objective = np.zeros(len(names))
        objective[position] = 1
        low = linprog(objective, A_eq=matrix, b_eq=np.zeros(len(equations)), bounds=bounds, method="highs")
        high = linprog(-objective, A_eq=matrix, b_eq=np.zeros(len(equations)), bounds=bounds, method="highs")
        assert low.status == 0, name
        ranges[name] = (low.fun, -high.fun if high.status == 0 else float("inf"))
    return ranges


def assert_protected(table: CountTable, protected: ProtectedTable, k: int) -> None:
    for name, (lowest, highest) in attacker_ranges(table, protected).items():
        assert highest - lowest >= k - 1e-6, f"{name} lies in [{lowest}, {highest}]"


@settings(derandomize=True, max_examples=80, deadline=None)
@given(
    values=st.integers(2, 5).flatmap(
        lambda width: st.lists(st.lists(SMALL_COUNTS, min_size=width, max_size=width), min_size=1, max_size=5)
    ),
    k=st.sampled_from([3, 5]),
)
def test_no_suppressed_cell_of_a_two_way_table_can_be_narrowed_below_k(values: list[list[int]], k: int) -> None:
    table = two_way(values)
    protected = protect(table, rule=DisclosureRule(threshold=k), already_suppressed=set())
    assert_protected(table, protected, k)


@settings(derandomize=True, max_examples=120, deadline=None)
@given(values=st.lists(SMALL_COUNTS, min_size=1, max_size=8), k=st.sampled_from([3, 5]))
def test_no_suppressed_cell_of_a_one_way_table_can_be_narrowed_below_k(values: list[int], k: int) -> None:
    table = one_way(values)
    protected = protect(table, rule=DisclosureRule(threshold=k), already_suppressed=set())
    assert_protected(table, protected, k)


@settings(derandomize=True, max_examples=40, deadline=None)
@given(
    values=st.lists(st.lists(SMALL_COUNTS, min_size=3, max_size=3), min_size=2, max_size=4),
    earlier=st.sets(st.tuples(st.integers(0, 3), st.integers(0, 2)), max_size=3),
)
def test_counts_suppressed_earlier_stay_suppressed_and_protected(
    values: list[list[int]], earlier: set[tuple[int, int]]
) -> None:
    table = two_way(values)
    question = table.question
    assert isinstance(question, Question)
    # A population held as suppressed has had people; one that has none now is not asked about here.
    coordinates = [(f"r{i}", f"c{j}") for i, j in earlier if i < len(values) and values[i][j] > 0]
    keys = {question.cell(dict(zip(question.by, c, strict=True))).key for c in coordinates}
    protected = protect(table, rule=DisclosureRule(threshold=5), already_suppressed=keys)
    assert all(protected.cells[c].suppressed for c in coordinates)
    assert_protected(table, protected, 5)


@settings(derandomize=True, max_examples=60, deadline=None)
@given(
    values=st.lists(st.lists(SMALL_COUNTS, min_size=3, max_size=3), min_size=2, max_size=4),
    total_known=st.booleans(),
    rows_known=st.sets(st.integers(0, 3), max_size=2),
)
def test_counts_published_earlier_are_not_used_to_hide_others(
    values: list[list[int]], total_known: bool, rows_known: set[int]
) -> None:
    """A reader who saw a margin or the total in an earlier output (a report's count, then its table)
    still cannot narrow any suppressed cell below k: those counts are never chosen to hide another."""
    table = two_way(values)
    question = table.question
    known = {f"r{i}" for i in rows_known if i < len(values) and table.row_totals[f"r{i}"] >= 5}
    keys = {question.cell({question.by[0]: row}).key for row in known}
    if total_known and table.total >= 5:
        keys.add(question.population().key)
    try:
        protected = protect(
            table, rule=DisclosureRule(threshold=5), already_suppressed=set(), already_published=keys
        )
    except Unprotectable:
        return  # refused as a whole (statistics_release says why): nothing is shown
    seen = dataclasses.replace(  # what the reader holds: this output plus the counts published before
        protected,
        row_totals={
            row: PublishedValue(table.row_totals[row], CellState.PUBLISHED) if row in known else value
            for row, value in protected.row_totals.items()
        },
        total=(
            PublishedValue(table.total, CellState.PUBLISHED)
            if question.population().key in keys
            else protected.total
        ),
    )
    assert_protected(table, seen, 5)
    assert all(not protected.row_totals[row].suppressed for row in known)


def test_small_counts_are_suppressed_zeros_and_large_counts_published() -> None:
    table = two_way([[0, 30, 20], [12, 3, 15], [40, 18, 25]])
    protected = protect(table, rule=DisclosureRule(threshold=5), already_suppressed=set())
    assert protected.cells[("r1", "c1")].suppressed
    assert protected.cells[("r0", "c0")].value == 0
    # Not blanket: one more cell of the 3's row and the two column totals it moves against hide it.
    hidden_cells = {c for c, v in protected.cells.items() if v.suppressed}
    hidden_margins = {c for c, v in protected.column_totals.items() if v.suppressed}
    assert hidden_cells == {("r1", "c1"), ("r1", "c0")} and hidden_margins == {"c0", "c1"}
    assert not any(v.suppressed for v in protected.row_totals.values())
    assert protected.total.value == table.total
    assert {v.state for v in protected.cells.values() if v.suppressed} == {"suppressed"}


def test_a_table_without_small_counts_is_published_whole() -> None:
    table = two_way([[10, 0, 7], [5, 9, 30]])
    protected = protect(table, rule=DisclosureRule(threshold=5), already_suppressed=set())
    assert all(not v.suppressed for v in protected.cells.values())


def test_a_small_total_is_suppressed_with_its_only_cell() -> None:
    table = CountTable(Question.build("event"), (), (), {(): 3}, {}, {}, 3, AS_OF)
    protected = protect(table, rule=DisclosureRule(threshold=5), already_suppressed=set())
    assert protected.total.suppressed and protected.cells[()].suppressed


def test_rounding_applies_to_published_counts_only() -> None:
    table = one_way([2, 17, 23, 0, 40])
    protected = protect(table, rule=DisclosureRule(threshold=5, rounding_base=5), already_suppressed=set())
    # The 2 is hidden with the total (margins and totals go before cells); the rest rounded to 5.
    assert [protected.cells[(r,)].value for r in table.rows] == [None, 15, 25, 0, 40]
    assert protected.total.suppressed
    assert (rounded(12, 5), rounded(13, 5), rounded(0, 10), rounded(7, None)) == (10, 15, 0, 7)


def test_margins_counting_distinct_people_are_audited_without_error() -> None:
    # People with events in two years make the margins smaller than the sums of their cells.
    table = two_way([[3, 8], [6, 2]])
    table = CountTable(
        table.question, table.rows, table.columns, table.cells, {"r0": 9, "r1": 7}, {"c0": 8, "c1": 9}, 14, AS_OF
    )
    protected = protect(table, rule=DisclosureRule(threshold=5), already_suppressed=set())
    assert protected.cells[("r0", "c0")].suppressed and protected.cells[("r1", "c1")].suppressed
    assert protected.cells[("r0", "c1")].value == 8 and protected.cells[("r1", "c0")].value == 6
