"""The work on a case: tasks with an assignee and a due date, and deadlines entered by hand.

Computed deadlines come from decisions (services/decisions.py); here a deadline of either kind
changes status (met, missed, cancelled, or open again).
"""

from __future__ import annotations

import datetime
from typing import Any

import rules
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from asylon.accounts.permissions import require
from asylon.audit import services as audit
from asylon.cases.models import Case, Deadline, DeadlineStatus, Task
from asylon.common.services import reject_unknown_fields

# Kinds offered for a deadline entered by hand; computed deadlines take theirs from the legal rule.
DEADLINE_KINDS: dict[str, str | Promise] = {
    "appeal": gettext_lazy("appeal"),
    "appeal_tier2": gettext_lazy("appeal to the second tier"),
    "court_review": gettext_lazy("court review"),
    "decision_due": gettext_lazy("decision due"),
    "submission": gettext_lazy("submission of documents or observations"),
    "hearing": gettext_lazy("hearing"),
    "other": gettext_lazy("other"),
}
TASK_FIELDS = frozenset({"title", "assignee", "due_on"})


def deadline_kind_label(kind: str) -> str | Promise:
    """The translated name of a deadline kind (the code itself for a kind this list does not know)."""
    return DEADLINE_KINDS.get(kind, kind)


def _check_title(title: str, *, field: str = "title") -> str:
    title = (title or "").strip()
    if not title:
        raise ValidationError({field: _("Say what has to be done.")})
    return title


def _check_assignee(assignee: Any, case: Case) -> None:
    """An assignee must be able to open the case, or the task would point them at a page they cannot see."""
    if assignee is None:
        return
    if not assignee.is_active or not rules.has_perm("cases.view_case", assignee, case):
        raise ValidationError(
            {"assignee": _("This person cannot open the case. Add them to the case first, or choose someone else.")}
        )


@transaction.atomic
def task_create(
    *,
    actor: Any,
    case: Case,
    title: str,
    assignee: Any = None,
    due_on: datetime.date | None = None,
) -> Task:
    """Add a task to a case, optionally assigned to a colleague who can open the case and with a due date."""
    require(actor, "cases.change_task", case)
    title = _check_title(title)
    _check_assignee(assignee, case)
    task = Task(
        organisation=case.organisation, case=case, title=title, assignee=assignee, due_on=due_on, created_by=actor
    )
    task.full_clean()
    task.save()
    audit.record(
        actor=actor,
        action="task.create",
        target=task,
        details={"assigned": assignee is not None, "due": due_on is not None},
    )
    return task


@transaction.atomic
def task_update(*, actor: Any, task: Task, **fields: Any) -> Task:
    """Change a task's title, assignee or due date (only the fields given)."""
    require(actor, "cases.change_task", task.case)
    reject_unknown_fields(fields, TASK_FIELDS)
    changed = []
    if "title" in fields:
        title = _check_title(fields["title"])
        if title != task.title:
            task.title = title
            changed.append("title")
    if "assignee" in fields:
        assignee = fields["assignee"]
        if getattr(assignee, "pk", None) != task.assignee_id:
            _check_assignee(assignee, task.case)
            task.assignee = assignee
            changed.append("assignee")
    if "due_on" in fields and fields["due_on"] != task.due_on:
        task.due_on = fields["due_on"]
        changed.append("due_on")
    task.full_clean()
    task.save()
    audit.record(actor=actor, action="task.update", target=task, changed_fields=changed)
    return task


@transaction.atomic
def task_complete(*, actor: Any, task: Task) -> Task:
    """Mark a task as done, now."""
    require(actor, "cases.change_task", task.case)
    if task.completed_at is not None:
        raise ValidationError({"task": _("This task is already completed.")})
    task.completed_at = timezone.now()
    task.save(update_fields=["completed_at", "updated_at"])
    audit.record(actor=actor, action="task.complete", target=task, changed_fields=["completed_at"])
    return task


@transaction.atomic
def deadline_add(*, actor: Any, case: Case, kind: str, due_on: datetime.date | None, title: str = "") -> Deadline:
    """Enter a deadline by hand (one that no legal rule computes, or one the organisation tracks itself)."""
    require(actor, "cases.change_deadline", case)
    if kind not in DEADLINE_KINDS:
        raise ValidationError({"kind": _("Choose a kind of deadline from the list.")})
    title = (title or "").strip()
    if kind == "other" and not title:
        raise ValidationError({"title": _("Say what is due when the kind is “other”.")})
    if due_on is None:
        raise ValidationError({"due_on": _("Enter the date the deadline falls on.")})
    deadline = Deadline(organisation=case.organisation, case=case, kind=kind, title=title, due_on=due_on)
    deadline.full_clean()
    deadline.save()
    audit.record(actor=actor, action="deadline.create", target=deadline, details={"kind": kind})
    return deadline


@transaction.atomic
def deadline_set_status(*, actor: Any, deadline: Deadline, status: str) -> Deadline:
    """Record that a deadline was met, missed or cancelled, or open it again."""
    require(actor, "cases.change_deadline", deadline.case)
    if status not in DeadlineStatus.values:
        raise ValidationError({"status": _("Choose met, missed, cancelled or open.")})
    if status == deadline.status:
        raise ValidationError({"status": _("The deadline already has this status.")})
    previous = deadline.status
    deadline.status = status
    deadline.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action="deadline.status",
        target=deadline,
        changed_fields=["status"],
        details={"from": previous, "to": status},
    )
    return deadline
