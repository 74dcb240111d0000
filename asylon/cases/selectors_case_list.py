"""Reads for the case list: which visible cases match the filters, and a page of them as rows."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Case as Choose
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.utils import timezone

from asylon.accounts.clearance import Redacted, field_level
from asylon.audit import reads
from asylon.cases.models import Case, CaseParty, Deadline, DeadlineStatus, Decision, Event, PartyRole
from asylon.cases.record_views import PERSON_NAME_FIELDS, case_clearance, record_views, user_name
from asylon.cases.selectors import cases_visible_among, cases_visible_to
from asylon.vocab import codes
from asylon.vocab.models import Term

LISTED_CASE_FIELDS = ("id", "reference", "status", "risk", "lead_assignee", "opened_on")

RISK_RANK = {"low": 1, "medium": 2, "high": 3, "critical": 4}


SEARCH_MATCH_LIMIT = 1000  # more matches than this means the name is too common to search by alone


def _cases_of_persons_named(user: Any, text: str) -> QuerySet[Any]:
    """Ids of cases with a party whose names hold every token of `text` (any script, by blind index).

    The same match as `people.selectors.persons_matching_name`, but starting from the digest index
    (organisation, kind, digest) rather than from every visible person: the case list applies
    visibility itself, and a person party to a visible case is visible.
    """
    from asylon.people.lookups import name_digests
    from asylon.people.models import LookupKind, PersonLookup
    from asylon.people.selectors import organisations_searchable_by

    digests = list(dict.fromkeys(name_digests(text)))
    if not digests:
        return CaseParty.objects.none().values("case_id")
    organisations = organisations_searchable_by(user, "given_name")  # a search must not confirm a name
    persons = (
        PersonLookup.objects.filter(organisation_id__in=organisations, kind=LookupKind.NAME, digest__in=digests)
        .values("person_id")
        .annotate(tokens=Count("digest", distinct=True))
        .filter(tokens=len(digests))
        .values("person_id")
    )
    return CaseParty.objects.filter(person_id__in=persons).values("case_id")


FEW_CASES = 500
MANY_CASES = 7_000


def _having(cases: QuerySet[Case], records: QuerySet[Any]) -> QuerySet[Case]:
    """Cases with at least one of `records` (events or decisions of a type), by how common the type is.

    Rare: its cases' ids are fetched first (through the type's index) and the list keeps those.
    Middling: the database collects the type's case ids once (a subquery) and keeps the cases among
    them. Common: each case, in list order, is tested through the case's own index, and the database
    stops after a page. No join multiplies the rows either way.
    """
    # No DISTINCT in SQL: with it SQLite walks the case index instead of the type's index.
    case_ids = records.values_list("case_id", flat=True)
    few = list(case_ids[: FEW_CASES + 1])
    if len(few) <= FEW_CASES:
        return cases.filter(pk__in=set(few))
    if case_ids[: MANY_CASES + 1].count() <= MANY_CASES:
        return cases.filter(pk__in=case_ids)
    return cases.filter(Exists(records.filter(case=OuterRef("pk"))))


def _term_ids(vocabulary: str, code: str) -> list[Any]:
    """Ids of the terms with this code (the instance's and organisations' own), looked up once so
    the database filters records by an indexed id list."""
    return list(Term.objects.filter(vocabulary__code=vocabulary, code=code).values_list("pk", flat=True))


def _cases_with_reference_prefix(cases: QuerySet[Case], text: str) -> list[Any]:
    """Ids of cases whose reference starts with `text` (references are upper case; any case typed),
    as an index range rather than a LIKE, which SQLite cannot answer from the index."""
    prefix = text.strip().upper()
    if not prefix:
        return []
    matching = cases.filter(reference__gte=prefix, reference__lt=prefix + "\U0010ffff")
    return list(matching.values_list("pk", flat=True)[:SEARCH_MATCH_LIMIT])


def cases_listed(*, user: Any, filters: dict[str, Any]) -> QuerySet[Case]:
    """Visible cases matching the list's filters, search (reference or a party's name) and sorting.

    Filters are semi-joins (`pk IN (subquery)` computed once for selective ones, EXISTS per case for
    broad ones), so no join multiplies the rows and no DISTINCT runs over the list. Nothing is
    fetched here.
    """
    cases = cases_visible_to(user)
    if status := filters.get("status"):
        cases = cases.filter(status=status)
    if code := filters.get("event_type"):
        cases = _having(cases, Event.objects.filter(event_type_id__in=_term_ids(codes.EVENT_TYPE, code)))
    if country := filters.get("country"):
        # Few countries, so most cases match: look at each candidate case's events through the
        # case index rather than collect every event of the country.
        cases = cases.filter(Exists(Event.objects.filter(case=OuterRef("pk"), country=country)))
    if code := filters.get("decision_type"):
        cases = _having(cases, Decision.objects.filter(decision_type_id__in=_term_ids(codes.DECISION_TYPE, code)))
    if code := filters.get("grounds"):
        cases = _having(cases, Decision.objects.filter(grounds__in=_term_ids(codes.GROUNDS, code)))
    if assignee := filters.get("assignee"):
        cases = cases.filter(lead_assignee_id=assignee)
    if window := filters.get("deadline"):
        today = timezone.localdate()
        end = today + datetime.timedelta(days=int(window)) if window != "overdue" else None
        due = Q(due_on__lt=today) if end is None else Q(due_on__range=(today, end))
        open_deadlines = Deadline.objects.filter(due, status=DeadlineStatus.OPEN).values("case_id")
        cases = cases.filter(pk__in=open_deadlines)
    if text := filters.get("q"):
        # Matches are few: collect them first through their indexes, so the database need not test
        # every case of the sorted list against a LIKE or the blind-index subquery.
        named = [row["case_id"] for row in _cases_of_persons_named(user, text)[:SEARCH_MATCH_LIMIT]]
        cases = cases.filter(pk__in={*named, *_cases_with_reference_prefix(cases, text)})
    sort = filters.get("sort") or "-opened"
    if sort == "reference":
        order = [F("reference").asc()]
    elif sort == "-risk":
        rank = Choose(
            *[When(risk=risk, then=Value(value)) for risk, value in RISK_RANK.items()],
            default=Value(0),
            output_field=IntegerField(),
        )
        cases = cases.annotate(risk_rank=rank)
        order = [F("risk_rank").desc(), F("reference").asc()]
    elif sort == "deadline":
        # Only this order needs every case's next deadline; otherwise `case_rows` asks for the page's.
        soonest = (
            Deadline.objects.filter(case=OuterRef("pk"), status=DeadlineStatus.OPEN).order_by("due_on").values("due_on")
        )
        cases = cases.annotate(next_deadline=Subquery(soonest[:1]))
        order = [F("next_deadline").asc(nulls_last=True), F("reference").asc()]
    else:
        order = [F("opened_on").desc(), F("reference").asc()]
    return cases.order_by(*order)


@dataclass
class CaseRow:
    """One line of the case list: the case and its clients' names as the viewer may see them."""

    case: Redacted
    clients: list[Redacted]

    @property
    def pk(self) -> Any:
        return self.case.pk


def case_rows(*, user: Any, case_ids: Iterable[Any]) -> list[CaseRow]:
    """The list's lines for a page of cases given by id, in that order: the cases, their next open
    deadline and their clients in three queries; names within the viewer's clearance.

    The list pages over ids only (`cases_listed(...).values_list("pk", flat=True)`), so the database
    sorts keys rather than whole rows; the page's rows are fetched here by key.
    """
    ids = list(case_ids)
    fetched = cases_visible_among(user, ids).select_related("organisation", "lead_assignee")
    by_id = {case.pk: case for case in fetched}
    page = [by_id[case_id] for case_id in ids if case_id in by_id]
    today = timezone.localdate()
    if page:
        soonest = dict(
            Deadline.objects.filter(case__in=[case.pk for case in page], status=DeadlineStatus.OPEN)
            .values("case_id")
            .annotate(due=Min("due_on"))
            .values_list("case_id", "due")
        )
        for case in page:
            case.next_deadline = soonest.get(case.pk)  # type: ignore[attr-defined]
    clients = CaseParty.objects.filter(role__in=[PartyRole.CLIENT, PartyRole.CO_APPLICANT]).select_related("person")
    prefetch_related_objects(page, Prefetch("parties", queryset=clients.order_by("created_at"), to_attr="clients"))
    reads.shown(page)
    rows = []
    for case in page:
        level = case_clearance(user, case)
        persons = [party.person for party in case.clients]  # type: ignore[attr-defined]
        if persons and field_level(type(persons[0]), "given_name") <= level:
            reads.shown(persons)  # their names are on the page
        view = record_views(
            [case],
            clearance=level,
            fields=LISTED_CASE_FIELDS,
            derived={
                "status_label": ("status", lambda c: c.get_status_display()),
                "risk_label": ("risk", lambda c: c.get_risk_display()),
                "lead_name": ("lead_assignee", lambda c: user_name(c.lead_assignee)),
                "next_deadline": ("id", lambda c: c.next_deadline),
                "deadline_overdue": (
                    "id",
                    lambda c: bool(c.next_deadline and c.next_deadline < today),
                ),
            },
        )[0]
        rows.append(CaseRow(case=view, clients=record_views(persons, clearance=level, fields=PERSON_NAME_FIELDS)))
    return rows
