"""Reads of cases and their records, filtered by who is asking (organisation role and case membership)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from asylon.accounts.clearance import Redacted, redacted
from asylon.accounts.models import Membership, Role
from asylon.audit import reads
from asylon.cases.models import (
    Case,
    CaseMembership,
    Deadline,
    DeadlineStatus,
    Decision,
    Event,
    Intervention,
    Note,
    Proceeding,
    StatusPeriod,
    Task,
)


def _organisations_by_reach(user: Any) -> tuple[QuerySet[Any], QuerySet[Any]]:
    """Organisations where the user sees every case (admin), and where they see their memberships."""
    admin_orgs = Membership.objects.filter(user=user, role=Role.ORG_ADMIN).values("organisation_id")
    reader_orgs = Membership.objects.filter(
        user=user, role__in=[Role.CASEWORKER, Role.LAWYER, Role.VIEWER, Role.AUDITOR]
    ).values("organisation_id")
    return admin_orgs, reader_orgs


def cases_visible_to(user: Any) -> QuerySet[Case]:
    """Cases the user may open: every case of organisations they administer, else their memberships."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Case.objects.none()
    admin_orgs, reader_orgs = _organisations_by_reach(user)
    # Exists rather than a join on memberships: no duplicate rows, so no DISTINCT over the whole list.
    member = CaseMembership.objects.filter(case=OuterRef("pk"), user=user)
    return Case.objects.filter(
        Q(organisation_id__in=admin_orgs) | (Q(organisation_id__in=reader_orgs) & Exists(member))
    )


def cases_visible_among(user: Any, case_ids: Iterable[Any]) -> QuerySet[Case]:
    """The cases among `case_ids` the user may open: the rule of `cases_visible_to`, with the
    membership test limited to those ids. PostgreSQL answers `cases_visible_to` for a caseworker by
    loading all their memberships (thousands) into a hash; for a page or one case that costs more
    than the rest of the query."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Case.objects.none()
    ids = list(case_ids)
    admin_orgs, reader_orgs = _organisations_by_reach(user)
    members = CaseMembership.objects.filter(user=user, case_id__in=ids).values("case_id")
    return Case.objects.filter(pk__in=ids).filter(
        Q(organisation_id__in=admin_orgs) | (Q(organisation_id__in=reader_orgs) & Q(pk__in=members))
    )


# Set on a case by the selectors that checked it is visible, to the id of the user they checked for.
_CHECKED_FOR = "_visible_to_user_id"


def _checked(case: Case, user: Any) -> Case:
    setattr(case, _CHECKED_FOR, user.pk)
    return case


def case_if_visible(user: Any, case: Case) -> Any:
    """The case if the user may open it, as a filter value for `case__in`.

    A case that `case_get`/`case_page_get` fetched for this same user is known to be visible: its
    key alone, so the page's queries do not each repeat the visibility subqueries. Any other case
    is looked up by its key within `cases_visible_to` (not the user's whole list of cases, which the
    database would build for every query of a page).
    """
    if getattr(case, _CHECKED_FOR, None) == getattr(user, "pk", object()):
        return [case.pk]
    return cases_visible_among(user, [case.pk])


def case_get(*, user: Any, case_id: Any) -> Case:
    """One case the user may open (Case.DoesNotExist otherwise, so existence is not revealed)."""
    return reads.shown(_checked(cases_visible_among(user, [case_id]).get(), user))


def case_page_get(*, user: Any, case_id: Any) -> Case:
    """One visible case with what its page header needs (organisation and lead) in the same query."""
    return reads.shown(
        _checked(cases_visible_among(user, [case_id]).select_related("organisation", "lead_assignee").get(), user)
    )


def events_of_case(*, user: Any, case: Case) -> QuerySet[Event]:
    """The events of a visible case in chronological order of their clear year and month."""
    return reads.shown(
        Event.objects.filter(case__in=case_if_visible(user, case))
        .select_related("event_type", "perpetrator")
        .order_by("year", "month", "created_at")
    )


def decisions_of_case(*, user: Any, case: Case) -> QuerySet[Decision]:
    """The decisions of a visible case in the order they were served (clear year and month)."""
    return reads.shown(
        Decision.objects.filter(case__in=case_if_visible(user, case))
        .select_related("decision_type", "decision_maker")
        .order_by("served_year", "served_month", "created_at")
    )


def notes_of_case(*, user: Any, case: Case) -> QuerySet[Note]:
    """Notes of a visible case; privileged notes only for lawyers who are members of the case."""
    import rules

    notes = Note.objects.filter(case__in=case_if_visible(user, case))
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


# --- one record of a case, for the page that edits it ---------------------------------------------


def _record_of_case(
    model: type[models.Model], *, user: Any, case: Case, record_id: Any, related: tuple[str, ...] = ()
) -> Any:
    """One record of a visible case (`model.DoesNotExist` for a record of any other case, so its
    existence is not revealed)."""
    records = model._default_manager.filter(case__in=case_if_visible(user, case), case=case)
    return reads.shown(records.select_related("case", *related).get(pk=record_id))


def event_of_case(*, user: Any, case: Case, event_id: Any) -> Event:
    """An event of a case the user may open (Event.DoesNotExist for any other)."""
    return events_of_case(user=user, case=case).get(pk=event_id)


def note_of_case(*, user: Any, case: Case, note_id: Any) -> Note:
    """A note of a case the user may open; privileged notes only for the case's lawyers (else DoesNotExist)."""
    return notes_of_case(user=user, case=case).get(pk=note_id)


def decision_of_case(*, user: Any, case: Case, decision_id: Any) -> Decision:
    """A decision of a case the user may open (Decision.DoesNotExist for any other)."""
    related = ("decision_type", "decision_maker", "outcome")
    return _record_of_case(Decision, user=user, case=case, record_id=decision_id, related=related)


def proceeding_of_case(*, user: Any, case: Case, proceeding_id: Any) -> Proceeding:
    """A proceeding of a case the user may open (Proceeding.DoesNotExist for any other)."""
    return _record_of_case(Proceeding, user=user, case=case, record_id=proceeding_id, related=("court", "outcome"))


def intervention_of_case(*, user: Any, case: Case, intervention_id: Any) -> Intervention:
    """An intervention of a case the user may open (Intervention.DoesNotExist for any other)."""
    related = ("intervention_type",)
    return _record_of_case(Intervention, user=user, case=case, record_id=intervention_id, related=related)


def status_period_of_case(*, user: Any, case: Case, status_id: Any) -> StatusPeriod:
    """A status period of a case the user may open (StatusPeriod.DoesNotExist for any other)."""
    return _record_of_case(StatusPeriod, user=user, case=case, record_id=status_id)


def task_of_case(*, user: Any, case: Case, task_id: Any) -> Task:
    """A task of a case the user may open (Task.DoesNotExist for any other)."""
    return _record_of_case(Task, user=user, case=case, record_id=task_id, related=("case__organisation",))


def deadline_of_case(*, user: Any, case: Case, deadline_id: Any) -> Deadline:
    """A deadline of a case the user may open (Deadline.DoesNotExist for any other)."""
    return _record_of_case(Deadline, user=user, case=case, record_id=deadline_id, related=("case__organisation",))


@dataclass(frozen=True)
class Member:
    """A staff member of a case (a staff account, not a person the case is about) and their role."""

    user_id: Any
    email: str
    name: str
    role_label: str


def members_with_roles(*, user: Any, case: Case) -> list[Member]:
    """The staff members of a visible case with their role in its organisation, by email."""
    memberships = (
        CaseMembership.objects.filter(case__in=case_if_visible(user, case), case=case)
        .select_related("user")
        .order_by("user__email")
    )
    roles = dict(
        Membership.objects.filter(organisation=case.organisation, user__case_memberships__case=case).values_list(
            "user_id", "role"
        )
    )
    return [
        Member(
            user_id=membership.user_id,
            email=membership.user.email,
            name=membership.user.display_name,
            role_label=str(Role(roles[membership.user_id]).label) if membership.user_id in roles else _("no role"),
        )
        for membership in memberships
    ]


def member_of_case(*, user: Any, case: Case, user_id: Any) -> Any:
    """A staff account that is a member of a visible case (CaseMembership.DoesNotExist for anyone else)."""
    return (
        CaseMembership.objects.select_related("user")
        .get(case__in=case_if_visible(user, case), case=case, user_id=user_id)
        .user
    )
