"""Which closed cases have outlived their organisation's retention period, and what erasing them would take
with them. Reads ids and counts only: nothing here decrypts or shows personal data."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from asylon.accounts.models import Organisation, OrgPolicy
from asylon.cases.models import Case, CaseStatus
from asylon.evidence.models import Document
from asylon.people.services_erasure import erasure_scope

DEFAULT_CLOSED_CASE_DAYS: int = OrgPolicy._meta.get_field("closed_case_retention_days").get_default()


@dataclass
class ClosedCaseRetention:
    """Closed cases of one organisation past its retention period: what a run erases (or erased)."""

    organisation_id: str
    slug: str
    retention_days: int
    cutoff: datetime.date
    case_ids: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    persons: int = 0
    documents: int = 0
    undated: int = 0
    erased_case_ids: list[str] = field(default_factory=list)
    erased_persons: int = 0
    failed_case_ids: list[str] = field(default_factory=list)
    skipped_case_ids: list[str] = field(default_factory=list)

    @property
    def cases(self) -> int:
        return len(self.case_ids)

    @property
    def erased_cases(self) -> int:
        return len(self.erased_case_ids)


def closed_case_retention_days(organisation: Organisation) -> int:
    """The organisation's period for closed cases (the policy's default when it has no policy row)."""
    days = OrgPolicy.objects.filter(organisation=organisation).values_list("closed_case_retention_days", flat=True)
    return next(iter(days), DEFAULT_CLOSED_CASE_DAYS)


def retention_cutoff(*, organisation: Organisation, today: datetime.date) -> datetime.date:
    """Cases closed before this date are past the period: closed on day D, a case is kept through D + days."""
    return today - datetime.timedelta(days=closed_case_retention_days(organisation))


def closed_cases_expired(*, organisation: Organisation, today: datetime.date | None = None) -> QuerySet[Case]:
    """Closed cases of the organisation whose closing date is before the retention cut-off, oldest first."""
    today = today or timezone.localdate()
    cutoff = retention_cutoff(organisation=organisation, today=today)
    return Case.objects.filter(
        organisation=organisation, status=CaseStatus.CLOSED, closed_on__isnull=False, closed_on__lt=cutoff
    ).order_by("closed_on", "reference")


def closed_cases_undated(*, organisation: Organisation) -> QuerySet[Case]:
    """Closed cases without a closing date: never erased by the schedule, listed so an admin can date them."""
    return Case.objects.filter(organisation=organisation, status=CaseStatus.CLOSED, closed_on__isnull=True)


def closed_case_plan(*, organisation: Organisation, today: datetime.date | None = None) -> ClosedCaseRetention:
    """What erasing the organisation's expired closed cases would take: cases, the persons party to none
    other (the same scope `case_erase` computes), and their documents. Nothing is written."""
    today = today or timezone.localdate()
    days = closed_case_retention_days(organisation)
    expired = list(closed_cases_expired(organisation=organisation, today=today).values_list("pk", "reference"))
    plan = ClosedCaseRetention(
        organisation_id=str(organisation.pk),
        slug=organisation.slug,
        retention_days=days,
        cutoff=today - datetime.timedelta(days=days),
        case_ids=[str(pk) for pk, _reference in expired],
        references=[reference for _pk, reference in expired],
        undated=closed_cases_undated(organisation=organisation).count(),
    )
    if expired:
        scope = erasure_scope(cases=Case.objects.filter(pk__in=[pk for pk, _reference in expired]))
        plan.persons = len(scope.person_ids)
        plan.documents = _documents_of(scope.case_ids, scope.person_ids).count()
    return plan


def _documents_of(case_ids: list[Any], person_ids: list[Any]) -> QuerySet[Document]:
    return Document.objects.filter(Q(case_id__in=case_ids) | Q(person_id__in=person_ids))


@dataclass(frozen=True)
class ExpiredCaseRow:
    """One closed case past the period, as the retention page lists it (reference and dates, no names)."""

    case_id: Any
    reference: str
    closed_on: datetime.date


def expired_case_rows(*, organisation: Organisation, today: datetime.date | None = None) -> list[ExpiredCaseRow]:
    """The organisation's closed cases past the period, oldest closing first."""
    rows = closed_cases_expired(organisation=organisation, today=today).values_list("pk", "reference", "closed_on")
    # closed_cases_expired keeps only cases with a closing date.
    return [ExpiredCaseRow(case_id=pk, reference=ref, closed_on=on) for pk, ref, on in rows if on is not None]


def last_retention_run(*, organisation: Organisation) -> Any:
    """The organisation's latest `retention.run` audit entry (its time and counts), or None."""
    from asylon.audit.models import AuditEntry

    return (
        AuditEntry.objects.filter(organisation=organisation, action="retention.run")
        .only("created_at", "details", "actor_id")
        .order_by("-sequence")
        .first()
    )
