"""Statistical disclosure control of one count table: primary and secondary cell suppression, rounding.

Primary: every count from 1 to k-1 (cells, margins and the total) is suppressed, and so is every
count whose population the ledger already holds as suppressed. Zeros are published; they disclose
nobody, and so anyone may assume a suppressed count is at least 1.
Secondary: the table is audited with linear programming. For each suppressed count its smallest and
largest value consistent with everything published is computed; while that range is narrower than
k, the cheapest set of published counts that would let it range over k is suppressed too (a small
mixed-integer program; margins and totals before cells) and the audit runs again. The audit treats
margins as sums of their cells, which is stricter than the truth (margins count distinct people, so
a person in two cells counts once) and keeps the audit simple.
The output never tells primary from secondary suppression.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from asylon.reports.statistics.questions import Question
from asylon.reports.statistics.tables import (
    CellState,
    Coordinates,
    CountTable,
    DisclosureRule,
    ProtectedTable,
    PublishedValue,
)

_TOLERANCE = 1e-6
# The search for a cover stops after this many branch-and-bound nodes (a count rather than a time,
# so that a table is protected the same way on any machine) or within 1% of the cheapest; the
# time limit is only a safety net. Without a cover the smallest neighbour is taken; the audit decides.
MILP_OPTIONS = {"node_limit": 500, "mip_rel_gap": 0.01, "time_limit": 30.0}
# Secondary suppression prefers margins and totals to cells: the cells are what charts and tables
# show, and a reader still sees a hidden total's published parts. On the demo data this keeps over
# 90% of the cells of k or more people published where preferring cells kept about 75%.
MARGIN_WEIGHT = 0.1

class Unprotectable(ValueError):
    """No choice of further counts to hide protects the table, given what earlier outputs published."""


ItemId = tuple[str, ...]  # ("cell", *coordinates), ("row", value), ("column", value), ("total",)


@dataclasses.dataclass
class _Item:
    """One count of the table: a cell, a margin or the total."""

    id: ItemId
    question: Question
    value: int  # the true count, which decides primary suppression and is published
    audit_value: int  # the count under the additive model of the audit (a margin is the sum of its cells)
    containers: list[ItemId]  # the margins and total whose population includes this one


@dataclasses.dataclass
class _Table:
    items: dict[ItemId, _Item]
    equations: list[tuple[ItemId, list[ItemId]]]  # (margin, its parts): margin = sum of parts


def _cell_id(coordinates: Coordinates) -> ItemId:
    return ("cell", *coordinates)


def _model(table: CountTable) -> _Table:
    """The table's counts and the additive equations an attacker could use."""
    question = table.question
    by = question.by
    items: dict[ItemId, _Item] = {}
    equations: list[tuple[ItemId, list[ItemId]]] = []

    for coordinates, value in table.cells.items():
        containers: list[ItemId] = [("total",)]
        if len(by) == 2:
            containers += [("row", coordinates[0]), ("column", coordinates[1])]
        items[_cell_id(coordinates)] = _Item(
            _cell_id(coordinates), question.cell(dict(zip(by, coordinates, strict=True))), value, value, containers
        )
    if len(by) == 2:
        for position, (kind, totals) in enumerate((("row", table.row_totals), ("column", table.column_totals))):
            for value_code, value in totals.items():
                parts = [_cell_id(c) for c in table.cells if c[position] == value_code]
                audit_value = sum(items[part].audit_value for part in parts)
                items[(kind, value_code)] = _Item(
                    (kind, value_code), question.cell({by[position]: value_code}), value, audit_value, [("total",)]
                )
                equations.append(((kind, value_code), parts))
    cells = [_cell_id(c) for c in table.cells]
    items[("total",)] = _Item(
        ("total",), question.population(), table.total, sum(items[c].audit_value for c in cells), []
    )
    equations.append((("total",), cells))
    if len(by) == 2:
        for kind in ("row", "column"):
            margins = [item_id for item_id in items if item_id[0] == kind]
            if margins:
                equations.append((("total",), margins))
    return _Table(items, equations)


def feasible_range(table: _Table, suppressed: set[ItemId], item_id: ItemId) -> tuple[float, float]:
    """The smallest and largest value of a suppressed count given every published count (LP bounds;
    the largest may be infinite)."""
    variables = sorted(suppressed)
    index = {item_id: position for position, item_id in enumerate(variables)}
    rows, right = [], []
    for margin, parts in table.equations:
        involved = [margin, *parts]
        if not any(part in index for part in involved):
            continue
        row = np.zeros(len(variables))
        constant = 0.0
        for part, sign in [(margin, -1.0)] + [(part, 1.0) for part in parts]:
            if part in index:
                row[index[part]] += sign
            else:
                constant += sign * table.items[part].audit_value
        rows.append(row)
        right.append(-constant)
    bounds: list[tuple[float, float | None]] = []
    for variable in variables:
        item = table.items[variable]
        # Zeros are published, so a suppressed count is known to be at least 1 (0 only for a count
        # the ledger suppressed before it fell to zero). A cell counts no more people than a
        # published margin of it (a margin's audit value is a sum, so only cells get this bound).
        upper = [table.items[c].value for c in item.containers if c not in index] if variable[0] == "cell" else []
        bounds.append((min(1, item.audit_value), min(upper) if upper else None))
    objective = np.zeros(len(variables))
    objective[index[item_id]] = 1.0
    equality = (np.array(rows), np.array(right)) if rows else (None, None)
    low = linprog(objective, A_eq=equality[0], b_eq=equality[1], bounds=bounds, method="highs")
    high = linprog(-objective, A_eq=equality[0], b_eq=equality[1], bounds=bounds, method="highs")
    if low.status != 0:  # cannot happen for a consistent table; count it as exposed, to be safe
        value = float(table.items[item_id].audit_value)
        return value, value
    highest = -high.fun if high.status == 0 else float("inf")  # status 3: unbounded above
    return float(low.fun), highest


def _width(table: _Table, suppressed: set[ItemId], item_id: ItemId) -> float:
    lowest, highest = feasible_range(table, suppressed, item_id)
    return highest - lowest


def _neighbours(table: _Table, item_id: ItemId) -> Iterator[ItemId]:
    """The counts that share an equation with this one: its row, column, margins and total."""
    for margin, parts in table.equations:
        involved = [margin, *parts]
        if item_id in involved:
            yield from involved


def _same_population(table: _Table, suppressed: set[ItemId]) -> set[ItemId]:
    """Counts of one population are suppressed together (a one-row table's cell is its total)."""
    keys = {table.items[item_id].question.key for item_id in suppressed}
    return suppressed | {item_id for item_id, item in table.items.items() if item.question.key in keys}


def _cover(
    table: _Table, suppressed: set[ItemId], exposed: ItemId, threshold: int, known: set[ItemId]
) -> set[ItemId]:
    """The cheapest set of published counts whose suppression lets the exposed count range over k.

    A mixed-integer program looks for two changes of the table, one raising the exposed count by
    `up` and one lowering it by `down` with up + down = k, each keeping every equation (a margin
    still sums its parts) and every count at least 1 (published zeros stay zero). A published count
    may move only if it is chosen for suppression, at a cost of its value plus one (a tenth of that
    for a margin or total): the fewest and smallest counts. Moving a suppressed count is free."""
    ids = list(table.items)
    index = {item_id: position for position, item_id in enumerate(ids)}
    size, rows = len(ids), len(table.equations)
    # Columns: up+, up-, down+, down- (size each; a change is d+ - d-), then up and down, then one
    # choice per count (1: suppress it).
    up, down, chosen = 4 * size, 4 * size + 1, 4 * size + 2
    width = 5 * size + 2
    equations = np.zeros((2 * rows + 3, width))
    for number, (margin, parts) in enumerate(table.equations):
        for part, sign in [(margin, -1.0)] + [(part, 1.0) for part in parts]:
            for change in (0, 1):
                equations[change * rows + number, 2 * change * size + index[part]] += sign
                equations[change * rows + number, (2 * change + 1) * size + index[part]] -= sign
    position = index[exposed]
    equations[2 * rows, [position, size + position, up]] = [1.0, -1.0, -1.0]
    equations[2 * rows + 1, [2 * size + position, 3 * size + position, down]] = [1.0, -1.0, 1.0]
    equations[2 * rows + 2, [up, down]] = [1.0, 1.0]
    right = np.zeros(2 * rows + 3)
    right[-1] = threshold
    # A published count moves only when chosen: |change| <= k * chosen (no change needs more than k).
    caps = np.zeros((2 * size, width))
    lower, upper = np.zeros(width), np.full(width, np.inf)
    costs, integrality = np.zeros(width), np.zeros(width)
    upper[chosen:] = 0.0
    for item_id, position in index.items():
        item = table.items[item_id]
        upper[[size + position, 3 * size + position]] = item.audit_value - min(1, item.audit_value)
        if item_id in suppressed:
            continue
        if item.value == 0 or item_id in known:  # a published zero, or a count published before: known
            upper[[change * size + position for change in range(4)]] = 0.0
            continue
        for change in (0, 1):
            caps[2 * position + change, [2 * change * size + position, (2 * change + 1) * size + position]] = 1.0
            caps[2 * position + change, chosen + position] = -threshold
        upper[chosen + position] = 1.0
        costs[chosen + position] = (item.audit_value + 1) * (1 if item_id[0] == "cell" else MARGIN_WEIGHT)
        integrality[chosen + position] = 1
    solution = milp(
        costs,
        constraints=[LinearConstraint(equations, right, right), LinearConstraint(caps, -np.inf, 0.0)],
        bounds=Bounds(lower, upper),
        integrality=integrality,
        options=MILP_OPTIONS,
    )
    if solution.x is None:
        return set()
    return {ids[p] for p in range(size) if solution.x[chosen + p] > 0.5}


def _cheapest_neighbour(
    table: _Table, suppressed: set[ItemId], exposed: ItemId, known: set[ItemId]
) -> set[ItemId]:
    """The smallest published non-zero count beside the exposed one (or anywhere, if none is beside it)."""
    published = [i for i, item in table.items.items() if i not in suppressed | known and item.value > 0]
    nearby = set(_neighbours(table, exposed)).intersection(published)
    candidates = sorted(nearby or published, key=lambda i: (table.items[i].value, i))
    return set(candidates[:1])


def _secondary(table: _Table, suppressed: set[ItemId], threshold: int, known: set[ItemId]) -> set[ItemId]:
    """Suppress more counts until every suppressed count's feasible range is at least k wide. Counts
    in `known` were published by an earlier output: hiding them now would protect nothing."""
    # Suppressing more only widens the other ranges, so a count found safe stays safe.
    safe: set[ItemId] = set()
    while True:
        exposed = None
        for item_id in sorted(suppressed - safe):
            if _width(table, suppressed, item_id) < threshold - _TOLERANCE:
                exposed = item_id
                break
            safe.add(item_id)
        if exposed is None:
            return suppressed
        more = _cover(table, suppressed, exposed, threshold, known) or _cheapest_neighbour(
            table, suppressed, exposed, known
        )
        if not more:  # nothing left that may be hidden could hide it: this table cannot be published
            raise Unprotectable(exposed)
        suppressed = _same_population(table, suppressed | more)


def rounded(value: int, base: int | None) -> int:
    """Round half up to the nearest multiple of base; zero stays zero."""
    if not base or base <= 1:
        return value
    return ((value + base // 2) // base) * base


def protect(
    table: CountTable,
    *,
    rule: DisclosureRule,
    already_suppressed: set[str],
    already_published: frozenset[str] | set[str] = frozenset(),
) -> ProtectedTable:
    """The table as it may be published: small counts suppressed, with enough secondary suppression
    that none can be recomputed from what is shown, then optionally rounded. Counts whose population
    an earlier output published (`already_published`, population keys) are never chosen to hide
    another: a reader already has them (a report's count, then a table of the same people).
    Unprotectable when nothing may be hidden that would protect a small count."""
    model = _model(table)
    threshold = rule.threshold
    primary = {
        item_id
        for item_id, item in model.items.items()
        if 0 < item.value < threshold or item.question.key in already_suppressed
    }
    known = {
        item_id
        for item_id, item in model.items.items()
        if item.question.key in already_published and item_id not in primary
    }
    suppressed = _secondary(model, _same_population(model, primary), threshold, known) if primary else set()

    def published(item_id: ItemId) -> PublishedValue:
        if item_id in suppressed:
            return PublishedValue(None, CellState.SUPPRESSED)
        return PublishedValue(rounded(model.items[item_id].value, rule.rounding_base), CellState.PUBLISHED)

    return ProtectedTable(
        question=table.question,
        rows=table.rows,
        columns=table.columns,
        cells={coordinates: published(_cell_id(coordinates)) for coordinates in table.cells},
        row_totals={row: published(("row", row)) for row in table.row_totals if ("row", row) in model.items},
        column_totals={c: published(("column", c)) for c in table.column_totals if ("column", c) in model.items},
        total=published(("total",)),
        rule=rule,
        as_of=table.as_of,
    )


def populations(table: ProtectedTable) -> Iterator[tuple[Question, PublishedValue]]:
    """Every count of a protected table with the population it counts (for the ledger)."""
    question = table.question
    for coordinates, value in table.cells.items():
        yield question.cell(dict(zip(question.by, coordinates, strict=True))), value
    for position, totals in enumerate((table.row_totals, table.column_totals)):
        for value_code, value in totals.items():
            yield question.cell({question.by[position]: value_code}), value
    yield question.population(), table.total


def counts_by_population(table: CountTable) -> dict[str, int]:
    """The true count of each population the table shows, by population key (for the ledger)."""
    return {item.question.key: item.value for item in _model(table).items.values()}
