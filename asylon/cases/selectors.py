"""Reads of cases and their records, filtered by who is asking (organisation role and case membership)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from asylon.accounts.clearance import Redacted, redacted, redacted_many
from asylon.accounts.models import Membership, Role
from asylon.audit import reads
from asylon.cases.models import Case, Deadline, DeadlineStatus, Event, Note


def cases_visible_to(user: Any) -> QuerySet[Case]:
    """Cases the user may open: every case of organisations they administer, else their memberships."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Case.objects.none()
    admin_orgs = Membership.objects.filter(user=user, role=Role.ORG_ADMIN).values("organisation_id")
    reader_orgs = Membership.objects.filter(
        user=user, role__in=[Role.CASEWORKER, Role.LAWYER, Role.VIEWER, Role.AUDITOR]
    ).values("organisation_id")
    return Case.objects.filter(
        Q(organisation_id__in=admin_orgs) | Q(organisation_id__in=reader_orgs, memberships__user=user)
    ).distinct()


def case_get(*, user: Any, case_id: Any) -> Case:
    """One case the user may open (Case.DoesNotExist otherwise, so existence is not revealed)."""
    return reads.shown(cases_visible_to(user).get(pk=case_id))


def events_of_case(*, user: Any, case: Case) -> QuerySet[Event]:
    """The events of a visible case in chronological order of their clear year and month."""
    return reads.shown(
        Event.objects.filter(case__in=cases_visible_to(user), case=case)
        .select_related("event_type", "perpetrator")
        .order_by("year", "month", "created_at")
    )


def notes_of_case(*, user: Any, case: Case) -> QuerySet[Note]:
    """Notes of a visible case; privileged notes only for lawyers who are members of the case."""
    import rules

    notes = Note.objects.filter(case__in=cases_visible_to(user), case=case)
    if not rules.has_perm("cases.view_privileged_note", user, case):
        notes = notes.filter(privileged=False)
    return reads.shown(notes.order_by("created_at"))


def open_deadlines_of(*, user: Any) -> QuerySet[Deadline]:
    """Open deadlines of the cases the user may open, soonest first."""
    return (
        Deadline.objects.filter(case__in=cases_visible_to(user), status=DeadlineStatus.OPEN)
        .select_related("case")
        .order_by("due_on")
    )


def case_display(*, user: Any, case_id: Any) -> Redacted:
    """A visible case as the user may see it: only the fields their clearance reaches."""
    return redacted(user, case_get(user=user, case_id=case_id))


def notes_display(*, user: Any, case: Case) -> list[Redacted]:
    """Notes of a visible case as the user may see them (bodies need confidential clearance)."""
    return redacted_many(user, notes_of_case(user=user, case=case))
