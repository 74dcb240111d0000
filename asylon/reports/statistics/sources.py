"""Where each measure's facts and dimensions live in the database: the fact rows (events, decisions,
proceedings, status periods), the person each row is about, and one ORM expression per dimension.

Only coarse clear fields are read (years, months, countries, term codes, categories, durations).
A decision's person is its event's person; a decision without one (no event, or an event naming no
victim) belongs to the case's client party (if a case has two clients, to the first by person id).
A proceeding's person is the person of the decision it challenges, else the case's client. The client
is a correlated subquery that runs only for the rows without an event person (COALESCE and CASE stop
at the first value): joining every case's parties cost PostgreSQL an extra join through cases_case.
An event naming no person has no one to count. Each dimension value is read as a code; a missing or
blank value reads "unknown".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import Case, F, OuterRef, Q, QuerySet, Subquery, UUIDField, Value, When
from django.db.models.functions import Coalesce, NullIf

from asylon.cases.models import CaseParty, Decision, Event, PartyRole, Proceeding, StatusPeriod
from asylon.cases.statuses import DETAINED, StatusKind
from asylon.reports.statistics.measures import APPEAL_RESULTS, LENGTH_BANDS, PENDING, UNKNOWN

TEXT, NUMBER, HALF, QUARTER = "text", "number", "half", "quarter"


@dataclasses.dataclass(frozen=True)
class Column:
    """A dimension as read from one measure's facts: its expressions (two for half-years and
    quarters: the year and the part) and how their values make a code. `path`, when the value is a
    plain field, is what filters compare: the database's statistics and indexes see the field itself
    (PostgreSQL misjudged a filter on NULLIF(citizenship, '') by a factor of 300)."""

    kind: str
    expressions: tuple[Any, ...]
    path: str | None = None

    @property
    def aliased(self) -> bool:
        """Whether filters read the expressions through aliases (no plain field to compare)."""
        return self.path is None

    def aliases(self, name: str) -> tuple[str, ...]:
        return tuple(f"d_{name}_{index}" for index in range(len(self.expressions)))

    def code(self, values: Sequence[Any]) -> str:
        """The code of one group's values ("2023", "2023-H1", "BY", "unknown")."""
        if any(value is None or value == "" for value in values):
            return UNKNOWN
        if self.kind == HALF:
            return f"{values[0]}-H{values[1]}"
        if self.kind == QUARTER:
            return f"{values[0]}-Q{values[1]}"
        return str(values[0])

    def condition(self, name: str, codes: Sequence[str]) -> Q:
        """Rows whose value is one of the codes (validated beforehand: years are digits, halves YYYY-Hn)."""
        aliases = self.aliases(name)
        known = [code for code in codes if code != UNKNOWN]
        condition = Q(pk__in=[])
        if self.kind in (HALF, QUARTER):
            for code in known:
                year, part = code.split("-")
                condition |= Q(**{aliases[0]: int(year), aliases[1]: int(part[1:])})
        elif known:
            target = self.path or aliases[0]
            condition |= Q(**{f"{target}__in": [int(code) for code in known] if self.kind == NUMBER else known})
        if UNKNOWN in codes:
            condition |= Q(**{f"{self.path or aliases[0]}__isnull": True})
            if self.path and self.kind == TEXT:
                condition |= Q(**{self.path: ""})
        return condition


def _text(path: str | Any) -> Column:
    """A text value; blank reads as NULL in the database, so "unknown" is one group, not two."""
    if isinstance(path, str):
        return Column(TEXT, (NullIf(F(path), Value("")),), path=path)
    return Column(TEXT, (NullIf(path, Value("")),))


def _year_with_month(year: str, month: str) -> Any:
    """The year where the month is known, else NULL (an unknown half or quarter is one group)."""
    return Case(When(**{f"{month}__isnull": False}, then=F(year)))


def _half(year: str, month: str) -> Column:
    part = Case(When(**{f"{month}__lte": 6}, then=Value(1)), When(**{f"{month}__gte": 7}, then=Value(2)))
    return Column(HALF, (_year_with_month(year, month), part))


def _quarter(year: str, month: str) -> Column:
    part = Case(*(When(**{f"{month}__lte": 3 * quarter}, then=Value(quarter)) for quarter in (1, 2, 3, 4)))
    return Column(QUARTER, (_year_with_month(year, month), part))


def _time(year: str, month: str | None) -> dict[str, Column]:
    columns = {"year": Column(NUMBER, (F(year),), path=year)}
    if month:
        columns |= {"half": _half(year, month), "quarter": _quarter(year, month)}
    return columns


def _person(person: Callable[[str], Any]) -> dict[str, Column]:
    return {
        name: _text(person(name)) for name in ("citizenship", "country_of_origin", "sex", "military_service_category")
    }


def _length() -> Column:
    bands = [
        When(duration_days__lte=upper, then=Value(code))
        if upper is not None
        else When(duration_days__isnull=False, then=Value(code))
        for code, upper, _label in LENGTH_BANDS
    ]
    return _text(Case(*bands))


def _appeal_result() -> Column:
    results = [When(outcome__code__in=codes, then=Value(result)) for result, codes in APPEAL_RESULTS.items()]
    # An outcome code outside the mapping reads NULL, that is "unknown", like any missing value.
    return _text(Case(*results, When(outcome__isnull=True, then=Value(PENDING))))


def _decision_of(prefix: str) -> dict[str, Column]:
    return {
        "decision_type": _text(f"{prefix}decision_type__code"),
        "decision_maker": _text(f"{prefix}decision_maker__code"),
        "outcome": _text(f"{prefix}outcome__code"),
        "grounds": _text(f"{prefix}grounds__code"),
    }


def _client(field: str = "pk") -> Subquery:
    """A field of the case's client (the first by id), for a row without an event person."""
    clients = CaseParty.objects.filter(case_id=OuterRef("case_id"), role=PartyRole.CLIENT).order_by("person_id")
    return Subquery(clients.values("person_id" if field == "pk" else f"person__{field}")[:1])


def _event_or_client(event_person: str) -> Callable[[str], Any]:
    """A person field of the event's person, or of the case's client when the event names none."""

    def field(name: str) -> Any:
        return Case(
            When(**{f"{event_person}__isnull": False}, then=F(f"{event_person}__{name}")),
            default=_client(name),
        )

    return field


@dataclasses.dataclass(frozen=True)
class Source:
    """The facts of one measure: `rows(organisation, of)` the fact rows of an organisation (with the
    relations the expressions need), `person` the expression of the person counted, the period's
    year and month fields, and the dimension columns."""

    rows: Callable[[Any, tuple[str, ...]], QuerySet[Any]]
    person: Any
    year: str
    month: str | None
    columns: dict[str, Column]

    def period_condition(self, start: tuple[int, int] | None, end: tuple[int, int] | None) -> Q:
        """Rows in the inclusive month range; a row without a month counts only where the range
        covers its whole year."""
        condition = Q()
        year, month = self.year, self.month
        if start:
            within = Q(**{f"{year}__gt": start[0]})
            if month:
                same_year = Q(**{f"{month}__gte": start[1]})
                if start[1] == 1:
                    same_year |= Q(**{f"{month}__isnull": True})
                within |= Q(**{year: start[0]}) & same_year
            else:
                within |= Q(**{year: start[0]})
            condition &= within
        if end:
            within = Q(**{f"{year}__lt": end[0]})
            if month:
                same_year = Q(**{f"{month}__lte": end[1]})
                if end[1] == 12:
                    same_year |= Q(**{f"{month}__isnull": True})
                within |= Q(**{year: end[0]}) & same_year
            else:
                within |= Q(**{year: end[0]})
            condition &= within
        return condition


def _events(organisation: Any, of: tuple[str, ...]) -> QuerySet[Any]:
    rows = Event.objects.filter(organisation=organisation, person__isnull=False)
    return rows.filter(event_type__code__in=of) if of else rows


def _decisions(organisation: Any, of: tuple[str, ...]) -> QuerySet[Any]:
    rows = Decision.objects.filter(organisation=organisation)
    return rows.filter(decision_type__code__in=of) if of else rows


def _proceedings(organisation: Any, of: tuple[str, ...]) -> QuerySet[Any]:
    return Proceeding.objects.filter(organisation=organisation)


def _status_periods(kind: str, statuses: tuple[str, ...]) -> Callable[[Any, tuple[str, ...]], QuerySet[Any]]:
    def rows(organisation: Any, of: tuple[str, ...]) -> QuerySet[Any]:
        return StatusPeriod.objects.filter(organisation=organisation, kind=kind, status__in=statuses)

    return rows


def _status_source(kind: str, statuses: tuple[str, ...]) -> Source:
    return Source(
        rows=_status_periods(kind, statuses),
        person=F("person_id"),
        year="start_year",
        month="start_month",
        columns={
            **_time("start_year", "start_month"),
            **_person(lambda name: f"person__{name}"),
            "length": _length(),
        },
    )


SOURCES: dict[str, Source] = {
    "event": Source(
        rows=_events,
        person=F("person_id"),
        year="year",
        month="month",
        columns={
            **_time("year", "month"),
            **_person(lambda name: f"person__{name}"),
            "event_country": _text("country"),
            "event_type": _text("event_type__code"),
            **_decision_of("decision__"),
        },
    ),
    "decision": Source(
        rows=_decisions,
        person=Coalesce("event__person_id", _client(), output_field=UUIDField()),
        year="served_year",
        month="served_month",
        columns={
            **_time("served_year", "served_month"),
            **_person(_event_or_client("event__person")),
            "event_country": _text("event__country"),
            "event_type": _text("event__event_type__code"),
            **_decision_of(""),
        },
    ),
    "appeal": Source(
        rows=_proceedings,
        person=Coalesce("decision__event__person_id", _client(), output_field=UUIDField()),
        year="lodged_year",
        month=None,
        columns={
            **_time("lodged_year", None),
            **_person(_event_or_client("decision__event__person")),
            "tier": _text("tier"),
            "court": _text("court__code"),
            "appeal_result": _appeal_result(),
            "outcome": _text("outcome__code"),
            "decision_type": _text("decision__decision_type__code"),
            "decision_maker": _text("decision__decision_maker__code"),
            "grounds": _text("decision__grounds__code"),
        },
    ),
    "detention": _status_source(StatusKind.LIBERTY, DETAINED),
    "entry_ban": _status_source(StatusKind.RESIDENCE, ("banned_from_entry",)),
}
