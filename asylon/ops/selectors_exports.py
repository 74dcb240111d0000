"""Reads for exports: the records of the cases a user may open, within an organisation and a scope.

Visibility comes from `cases_visible_to` (and persons through the cases they are party to, as
`persons_visible_to` decides); these selectors only narrow it to the export's scope and fetch the
related records of those cases in a few queries. They do not note reads: the export's own audit
entry (`export.create`) lists the case ids it carried.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from asylon.accounts.models import Organisation, Role
from asylon.accounts.permissions import role_in
from asylon.cases.models import (
    Case,
    CaseParty,
    Decision,
    Event,
    Intervention,
    Note,
    Proceeding,
    StatusPeriod,
)
from asylon.cases.selectors import cases_visible_to
from asylon.evidence.models import Document, Source
from asylon.people.models import ConsentPurpose, Person
from asylon.people.selectors import persons_visible_to
from asylon.people.selectors_consent import persons_withdrawn
from asylon.vocab.models import Term


@dataclass(frozen=True)
class ExportScope:
    """What an export covers: one organisation, all its visible cases or one, optionally opened within dates."""

    organisation: Organisation
    case_id: Any = None
    opened_from: datetime.date | None = None
    opened_until: datetime.date | None = None

    def describe(self) -> dict[str, str | None]:
        """The scope as ids and ISO dates, for the audit entry and the file's header."""
        return {
            "organisation": str(self.organisation.pk),
            "case": str(self.case_id) if self.case_id else None,
            "opened_from": self.opened_from.isoformat() if self.opened_from else None,
            "opened_until": self.opened_until.isoformat() if self.opened_until else None,
        }


def export_cases(*, user: Any, scope: ExportScope) -> QuerySet[Case]:
    """The cases of the scope the user may open, by reference."""
    cases = cases_visible_to(user).filter(organisation=scope.organisation)
    # A person who withdrew consent to sharing leaves Asylon only in their own subject access export:
    # the cases they are party to are not exported (docs/gdpr.md, "Consent").
    unshared = persons_withdrawn(purpose=ConsentPurpose.SHARING, organisation=scope.organisation)
    cases = cases.exclude(pk__in=CaseParty.objects.filter(person_id__in=unshared).values("case_id"))
    if scope.case_id:
        cases = cases.filter(pk=scope.case_id)
    if scope.opened_from:
        cases = cases.filter(opened_on__gte=scope.opened_from)
    if scope.opened_until:
        cases = cases.filter(opened_on__lte=scope.opened_until)
    return cases.order_by("reference")


# The functions below take the scope's cases as a query (`export_cases(...).values("pk")`), used as a
# subquery: a list of thousands of ids costs more to compile into SQL than the query takes to run.


def export_parties(*, cases: QuerySet[Any]) -> QuerySet[CaseParty]:
    """The parties of the exported cases (each case already checked visible)."""
    return CaseParty.objects.filter(case_id__in=cases).order_by("case__reference", "created_at")


def export_persons(*, user: Any, cases: QuerySet[Any]) -> QuerySet[Person]:
    """The persons party to the exported cases, as `persons_visible_to` allows, with their claim basis."""
    party_of = CaseParty.objects.filter(case_id__in=cases).values("person_id")
    return persons_visible_to(user).filter(pk__in=party_of).select_related("claim_basis").order_by("created_at")


def export_events(*, cases: QuerySet[Any]) -> Iterator[Event]:
    """Events of the exported cases with their type and perpetrator, each with `export_sources_ids`."""
    cited: dict[Any, list[str]] = defaultdict(list)
    links = Event.sources.through.objects.filter(event__case_id__in=cases).order_by("source_id")
    for event_id, source_id in links.values_list("event_id", "source_id"):
        cited[event_id].append(str(source_id))
    events = Event.objects.filter(case_id__in=cases).select_related("event_type", "perpetrator")
    for event in events.order_by("case_id", "year", "month", "created_at"):
        event.export_sources_ids = cited.get(event.pk, [])  # type: ignore[attr-defined]
        yield event


def export_decisions(*, cases: QuerySet[Any]) -> Iterator[Decision]:
    """Decisions of the exported cases with their terms, each with `export_grounds` (terms, vocabulary order)."""
    links = Decision.grounds.through.objects.filter(decision__case_id__in=cases)
    pairs = list(links.values_list("decision_id", "term_id"))
    terms = Term.objects.in_bulk({term_id for _, term_id in pairs})
    cited: dict[Any, list[Term]] = defaultdict(list)
    for decision_id, term_id in pairs:
        cited[decision_id].append(terms[term_id])
    decisions = Decision.objects.filter(case_id__in=cases).select_related("decision_type", "decision_maker", "outcome")
    for decision in decisions.order_by("case_id", "served_year", "served_month", "created_at"):
        decision.export_grounds = sorted(  # type: ignore[attr-defined]
            cited.get(decision.pk, []), key=lambda term: (term.position, term.code)
        )
        yield decision


def export_proceedings(*, cases: QuerySet[Any]) -> QuerySet[Proceeding]:
    """Proceedings (appeals) of the exported cases."""
    return (
        Proceeding.objects.filter(case_id__in=cases)
        .select_related("court", "outcome")
        .order_by("case_id", "lodged_year", "created_at")
    )


def export_interventions(*, cases: QuerySet[Any]) -> QuerySet[Intervention]:
    """Interventions of the exported cases."""
    return (
        Intervention.objects.filter(case_id__in=cases)
        .select_related("intervention_type")
        .order_by("case_id", "carried_out_on", "created_at")
    )


def export_status_periods(*, cases: QuerySet[Any]) -> QuerySet[StatusPeriod]:
    """Dated statuses of the exported cases."""
    return StatusPeriod.objects.filter(case_id__in=cases).order_by("case_id", "kind", "start_year", "created_at")


def export_documents(*, cases: QuerySet[Any]) -> QuerySet[Document]:
    """Document records of the exported cases (metadata only: the blob is never read)."""
    return Document.objects.filter(case_id__in=cases).defer("blob_name").order_by("case_id", "created_at")


def export_notes(*, user: Any, scope: ExportScope, cases: QuerySet[Any]) -> QuerySet[Note]:
    """Notes of the exported cases; privileged notes only for a lawyer, and only of their own cases
    (a lawyer sees only the cases they are members of, so every exported case is one)."""
    notes = Note.objects.filter(case_id__in=cases)
    if role_in(user, scope.organisation) != Role.LAWYER:
        notes = notes.filter(privileged=False)
    return notes.order_by("case_id", "created_at")


def export_sources(*, cases: QuerySet[Any]) -> QuerySet[Source]:
    """The sources the exported cases' events cite."""
    cited = Event.sources.through.objects.filter(event__case_id__in=cases).values("source_id")
    return Source.objects.filter(pk__in=cited).order_by("title", "pk")


def export_organisations(user: Any) -> list[Organisation]:
    """The user's organisations from which they may export in at least one format, by name."""
    from asylon.accounts.selectors import organisations_of
    from asylon.ops.exports.formats import formats_allowed

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    return [org for org in organisations_of(user).order_by("name") if formats_allowed(user, org)]
