"""Counts of distinct people, computed in the database: one grouped query for the cells and one
each for the row totals, the column totals and the grand total (a person with events in two years
counts once in the total, so margins are queried, never summed). No loop over fact rows.

count_table returns true counts (a CountTable); only disclosure.protect may turn it into figures
that leave the statistics package.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.functions import NullIf
from django.utils import timezone

from asylon.people.models import ConsentPurpose, Person
from asylon.people.selectors_consent import persons_withdrawn
from asylon.reports.statistics.measures import DIMENSIONS
from asylon.reports.statistics.parsing import QuestionError, describe, question_from_params, validate
from asylon.reports.statistics.questions import Question
from asylon.reports.statistics.sources import SOURCES, TEXT, Column, Source
from asylon.reports.statistics.tables import CountTable

__all__ = [
    "QuestionError",
    "count_table",
    "counts_reused",
    "describe",
    "population",
    "population_rows",
    "question_from_params",
    "validate",
]

PERSON = "counted_person"

# Counts already made in the current counts_reused() block: (organisation, population key, grouping).
_reused: ContextVar[dict[tuple[Any, str, tuple[str, ...]], dict[tuple[str, ...], int]] | None] = ContextVar(
    "reused_counts", default=None
)


@contextlib.contextmanager
def counts_reused() -> Iterator[None]:
    """Within the block, a count of the same population by the same dimensions is made once: a report
    asks each population for its count, its chart and its table, and each of those asks the total.
    For one report's build only (short-lived: the numbers are as fresh as the block is long)."""
    token = _reused.set({})
    try:
        yield
    finally:
        _reused.reset(token)


# A person who withdrew consent to statistics or to publication is counted nowhere (docs/gdpr.md, "Consent").
UNCOUNTED = (ConsentPurpose.STATISTICS, ConsentPurpose.PUBLICATION)


def _consented(organisation: Any, source: Source, rows: QuerySet[Any]) -> QuerySet[Any]:
    """The rows without those of persons who withdrew consent to being counted (rows naming no one stay).
    One uncorrelated subquery per purpose, in the same statement (no query of its own)."""
    counted = Q()
    for purpose in UNCOUNTED:
        counted &= ~Q(consent_person__in=persons_withdrawn(purpose=purpose, organisation=organisation))
    return rows.alias(consent_person=source.person).filter(Q(consent_person__isnull=True) | counted)


def _facts(organisation: Any, question: Question) -> tuple[Source, QuerySet[Any]]:
    """The fact rows of the question's population (its types, filters and period)."""
    source = SOURCES[question.measure]
    rows = _consented(organisation, source, source.rows(organisation, question.of))
    aliases: dict[str, Any] = {}
    for name, _values in question.filters:
        column = source.columns[name]
        if column.aliased:
            aliases |= dict(zip(column.aliases(name), column.expressions, strict=True))
    # One filter() call: a multi-valued relation (a decision's grounds) is joined once, and a
    # breakdown annotated afterwards reuses that join, so a cell's people are its filter's people.
    condition = source.period_condition(question.period.start, question.period.end)
    for name, values in question.filters:
        condition &= source.columns[name].condition(name, values)
    return source, rows.alias(**aliases).filter(condition) if aliases or condition != Q() else rows


def _grouped(source: Source, rows: QuerySet[Any], names: tuple[str, ...]) -> dict[tuple[str, ...], int]:
    """Distinct people per combination of the named dimensions' codes (the total for no names);
    only the joins the grouping needs are added to the rows' own."""
    if not names:
        return {(): rows.aggregate(people=Count(source.person, distinct=True))["people"]}
    columns = [(name, source.columns[name]) for name in names]
    fields = _person_fields(source, columns)
    if fields is not None:
        # Only the person's own fields: the population's people are found first and then grouped
        # on the person table, rather than every fact row joined to its person and the pairs sorted
        # (summonses by citizenship: 250,000 events for 0.85 s, this way 0.3 s).
        selected = {
            f"by_{alias}": NullIf(F(field), Value(""))
            for (name, column), field in zip(columns, fields, strict=True)
            for alias in column.aliases(name)
        }
        people = Person.objects.filter(pk__in=rows.values(source.person.name))
        grouped = people.annotate(**selected).values(*selected).annotate(people=Count("pk"))
    else:
        selected = {
            f"by_{alias}": expression
            for name, column in columns
            for alias, expression in zip(column.aliases(name), column.expressions, strict=True)
        }
        grouped = rows.annotate(**selected).values(*selected).annotate(people=Count(source.person, distinct=True))
    counts: dict[tuple[str, ...], int] = {}
    for group in grouped.order_by():
        key = tuple(column.code([group[f"by_{alias}"] for alias in column.aliases(name)]) for name, column in columns)
        # Each code is one database group (sources.py reads every unknown as NULL), so no two
        # groups' people are added together.
        counts[key] = group["people"]
    return counts


def _person_fields(source: Source, columns: list[tuple[str, Column]]) -> list[str] | None:
    """The person-table fields of the breakdown when each is a text field of the counted person and
    that person is a plain column of the facts (events, status periods); else None."""
    if not isinstance(source.person, F) or source.person.name != "person_id":
        return None
    fields = []
    for _name, column in columns:
        path = column.path or ""
        if column.kind != TEXT or not path.startswith("person__") or "__" in path.removeprefix("person__"):
            return None
        fields.append(path.removeprefix("person__"))
    return fields


def count_table(*, organisation: Any, question: Question) -> CountTable:
    """True distinct-people counts of the question for the organisation (cells, margins, total)."""
    validate(question)
    source, rows = _facts(organisation, question)
    reused = _reused.get()
    population_key = question.population().key

    def grouped(names: tuple[str, ...]) -> dict[tuple[str, ...], int]:
        if reused is None:
            return _grouped(source, rows, names)
        key = (getattr(organisation, "pk", organisation), population_key, names)
        if key not in reused:
            reused[key] = _grouped(source, rows, names)
        return dict(reused[key])

    by = question.by
    total = grouped(())[()]
    cells = grouped(by) if by else {(): total}
    row_totals: dict[str, int] = {}
    column_totals: dict[str, int] = {}
    if len(by) == 2:
        row_totals = {key[0]: n for key, n in grouped(by[:1]).items()}
        column_totals = {key[0]: n for key, n in grouped(by[1:]).items()}
        rows_order = DIMENSIONS[by[0]].ordered(row_totals, row_totals)
        columns_order = DIMENSIONS[by[1]].ordered(column_totals, column_totals)
        cells = {(row, column): cells.get((row, column), 0) for row in rows_order for column in columns_order}
    elif len(by) == 1:
        one_way = {key[0]: n for key, n in cells.items()}
        rows_order = DIMENSIONS[by[0]].ordered(one_way, one_way)
        columns_order = ()
    else:
        rows_order = columns_order = ()
    return CountTable(
        question=question,
        rows=rows_order,
        columns=columns_order,
        cells=cells,
        row_totals=row_totals,
        column_totals=column_totals,
        total=total,
        as_of=timezone.now(),
    )


def population_rows(*, organisation: Any, question: Question) -> QuerySet[Any]:
    """The fact rows of the question's whole population (breakdowns ignored), each with its person as
    `counted_person` (NULL where no one is named; a person with several rows appears several times):
    what count_table counts, for comparing populations in SQL without reading the person table."""
    validate(question)
    source, rows = _facts(organisation, question.population())
    return rows.annotate(**{PERSON: source.person})


def population(*, organisation: Any, question: Question) -> QuerySet[Person]:
    """The distinct people of the question's whole population (breakdowns ignored), as a query."""
    people = population_rows(organisation=organisation, question=question).values(PERSON)
    return Person.objects.filter(organisation=organisation, pk__in=people)
