"""Reads of the work on cases: the dashboard (my deadlines, urgent cases, my tasks), the records
named in task and deadline URLs, and the counts reminders carry.

Kept beside selectors.py rather than in it, so the work pages' reads live in one module; every
read starts from `cases_visible_to` and notes what it shows with `reads.shown`. "My" cases are the
cases the user may open AND is a member of or leads (an organisation admin may open every case of
the organisation, but the dashboard lists only the ones they work on).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import rules
from django.db.models import F, Q, QuerySet

from asylon.accounts.clearance import Redacted, redacted
from asylon.accounts.models import Membership, Role, User
from asylon.accounts.permissions import CASE_READERS
from asylon.audit import reads
from asylon.cases.models import Case, CaseStatus, Deadline, DeadlineStatus, Decision, StatusPeriod, Task
from asylon.cases.selectors import cases_visible_to
from asylon.cases.statuses import DETAINED, StatusKind

WEEK_DAYS = 7
URGENT_DEADLINE_DAYS = 3
DASHBOARD_LIMIT = 50
# Decision types (asylon/vocab/data/vocabularies.json, decision_type) that order a person's removal.
REMOVAL_DECISION_TYPES = ("expulsion",)


@dataclass(frozen=True)
class WorkItem:
    """A deadline or task as the user may see it, with the case it belongs to."""

    record: Redacted
    case: Redacted
    can_change: bool = False


@dataclass(frozen=True)
class UrgentCase:
    """A case that needs attention now, and why (codes: detained, removal_ordered, deadline_soon)."""

    case: Redacted
    reasons: tuple[str, ...]


@dataclass
class Dashboard:
    """What the signed-in user's dashboard lists; `*_more` counts what the lists leave out."""

    can_open_cases: bool
    overdue: list[WorkItem] = field(default_factory=list)
    this_week: list[WorkItem] = field(default_factory=list)
    urgent: list[UrgentCase] = field(default_factory=list)
    tasks: list[WorkItem] = field(default_factory=list)
    overdue_more: int = 0
    this_week_more: int = 0
    tasks_more: int = 0


def my_cases(user: Any) -> QuerySet[Case]:
    """Cases the user may open and is a member of or leads."""
    visible = cases_visible_to(user).values("pk")
    return Case.objects.filter(Q(memberships__user=user) | Q(lead_assignee=user), pk__in=visible).distinct()


def my_open_deadlines(user: Any) -> QuerySet[Deadline]:
    """Open deadlines of my cases, soonest first."""
    return (
        Deadline.objects.filter(case__in=my_cases(user).values("pk"), status=DeadlineStatus.OPEN)
        .select_related("case")
        .order_by("due_on", "case__reference")
    )


def my_open_tasks(user: Any) -> QuerySet[Task]:
    """Open tasks assigned to the user on cases they may open, by due date (undated last)."""
    return (
        Task.objects.filter(case__in=cases_visible_to(user).values("pk"), assignee=user, completed_at__isnull=True)
        .select_related("case")
        .order_by(F("due_on").asc(nulls_last=True), "created_at")
    )


def _items(user: Any, records: list[Any], permission: str) -> list[WorkItem]:
    reads.shown(records)
    reads.shown([record.case for record in records])
    allowed: dict[Any, bool] = {}
    for record in records:
        if record.case_id not in allowed:
            allowed[record.case_id] = rules.has_perm(permission, user, record.case)
    return [
        WorkItem(record=redacted(user, record), case=redacted(user, record.case), can_change=allowed[record.case_id])
        for record in records
    ]


def _page(user: Any, queryset: QuerySet[Any], permission: str) -> tuple[list[WorkItem], int]:
    records = list(queryset[: DASHBOARD_LIMIT + 1])
    if len(records) <= DASHBOARD_LIMIT:
        return _items(user, records, permission), 0
    return _items(user, records[:DASHBOARD_LIMIT], permission), queryset.count() - DASHBOARD_LIMIT


def urgent_cases(*, user: Any, today: datetime.date) -> list[UrgentCase]:
    """My open cases whose person is detained, whose removal was ordered, or with a deadline within 3 days."""
    mine = my_cases(user).exclude(status=CaseStatus.CLOSED).values("pk")
    detained = set(
        StatusPeriod.objects.filter(
            case__in=mine, kind=StatusKind.LIBERTY, status__in=DETAINED, current=True
        ).values_list("case_id", flat=True)
    )
    removal = set(
        Decision.objects.filter(case__in=mine, decision_type__code__in=REMOVAL_DECISION_TYPES).values_list(
            "case_id", flat=True
        )
    )
    soon = set(
        Deadline.objects.filter(
            case__in=mine,
            status=DeadlineStatus.OPEN,
            due_on__lte=today + datetime.timedelta(days=URGENT_DEADLINE_DAYS),
        ).values_list("case_id", flat=True)
    )
    cases = list(Case.objects.filter(pk__in=detained | removal | soon).order_by("reference")[:DASHBOARD_LIMIT])
    reads.shown(cases)
    urgent = []
    for case in cases:
        reasons = tuple(
            code
            for code, ids in (("detained", detained), ("removal_ordered", removal), ("deadline_soon", soon))
            if case.pk in ids
        )
        urgent.append(UrgentCase(case=redacted(user, case), reasons=reasons))
    return sorted(urgent, key=lambda item: -len(item.reasons))


def can_open_cases(user: Any) -> bool:
    """Whether the user holds a role that opens cases in any organisation (analysts and operators do not)."""
    return Membership.objects.filter(user=user, role__in=CASE_READERS).exists()


def dashboard_for(*, user: Any, today: datetime.date) -> Dashboard:
    """The signed-in user's dashboard: my deadlines (overdue, next 7 days), urgent cases, my tasks."""
    if not can_open_cases(user):
        return Dashboard(can_open_cases=False)
    deadlines = my_open_deadlines(user)
    week_end = today + datetime.timedelta(days=WEEK_DAYS)
    overdue, overdue_more = _page(user, deadlines.filter(due_on__lt=today), "cases.change_deadline")
    this_week, this_week_more = _page(
        user, deadlines.filter(due_on__gte=today, due_on__lt=week_end), "cases.change_deadline"
    )
    tasks, tasks_more = _page(user, my_open_tasks(user), "cases.change_task")
    return Dashboard(
        can_open_cases=True,
        overdue=overdue,
        this_week=this_week,
        urgent=urgent_cases(user=user, today=today),
        tasks=tasks,
        overdue_more=overdue_more,
        this_week_more=this_week_more,
        tasks_more=tasks_more,
    )


def assignable_users(case: Case) -> QuerySet[User]:
    """Active staff who may open the case: its members with a case role, and the organisation's admins."""
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(
                case_memberships__case=case,
                memberships__organisation=case.organisation_id,
                memberships__role__in=CASE_READERS,
            )
            | Q(memberships__organisation=case.organisation_id, memberships__role=Role.ORG_ADMIN)
        )
        .distinct()
        .order_by("email")
    )


@dataclass(frozen=True)
class ReminderCounts:
    """How much is due for one user: counts only (a reminder names nothing)."""

    deadlines: int
    overdue_deadlines: int
    tasks: int

    @property
    def total(self) -> int:
        return self.deadlines + self.tasks


def reminder_counts(*, user: Any, today: datetime.date, horizon_days: int) -> ReminderCounts:
    """Open deadlines of my cases and open tasks assigned to me due within `horizon_days` (overdue included)."""
    until = today + datetime.timedelta(days=horizon_days)
    deadlines = my_open_deadlines(user).filter(due_on__lte=until)
    return ReminderCounts(
        deadlines=deadlines.count(),
        overdue_deadlines=deadlines.filter(due_on__lt=today).count(),
        tasks=my_open_tasks(user).filter(due_on__lte=until).count(),
    )


def users_with_work_due(*, until: datetime.date) -> QuerySet[User]:
    """Active users who may have something due by `until` (a superset: reminder_counts decides)."""
    deadline_cases = Deadline.objects.filter(status=DeadlineStatus.OPEN, due_on__lte=until).values("case_id")
    leads = Case.objects.filter(pk__in=deadline_cases, lead_assignee__isnull=False).values("lead_assignee")
    return (
        User.objects.filter(is_active=True, memberships__role__in=CASE_READERS)
        .filter(
            Q(case_memberships__case__in=deadline_cases)
            | Q(pk__in=leads)
            | Q(tasks__completed_at__isnull=True, tasks__due_on__lte=until)
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
