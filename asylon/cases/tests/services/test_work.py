"""Tasks and hand-entered deadlines: create, update, complete, set status; validation, permission, audit."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from asylon.accounts.models import Role
from asylon.audit.models import AuditEntry
from asylon.cases.models import Deadline, DeadlineStatus, Task
from asylon.cases.services.work import deadline_add, deadline_set_status, task_complete, task_create, task_update
from tests.factories import case_with_member, staff

pytestmark = pytest.mark.django_db
DUE = datetime.date(2025, 3, 20)


def test_task_create_saves_encrypted_title_and_audits_without_it(case, caseworker, lawyer):
    task = task_create(actor=caseworker, case=case, title="Ask the court for the file", assignee=lawyer, due_on=DUE)

    stored = Task.objects.get(pk=task.pk)
    assert (stored.title, stored.assignee, stored.due_on, stored.created_by) == (
        "Ask the court for the file",
        lawyer,
        DUE,
        caseworker,
    )
    entry = AuditEntry.objects.get(action="task.create", target_id=str(task.pk))
    assert entry.details == {"assigned": True, "due": True}
    assert "court" not in str(entry.details)


def test_task_needs_a_title_and_nothing_is_written(case, caseworker):
    with pytest.raises(ValidationError) as error:
        task_create(actor=caseworker, case=case, title="   ")
    assert "title" in error.value.error_dict
    assert not Task.objects.exists() and not AuditEntry.objects.filter(action="task.create").exists()


def test_task_assignee_must_be_able_to_open_the_case(case, caseworker, organisation, outsider):
    stranger = staff(organisation)  # a colleague who is not a member of the case
    for assignee in (stranger, outsider):
        with pytest.raises(ValidationError) as error:
            task_create(actor=caseworker, case=case, title="Call", assignee=assignee)
        assert "assignee" in error.value.error_dict
    assert not Task.objects.exists()


def test_org_admin_may_be_assigned_without_membership(case, caseworker, org_admin):
    assert task_create(actor=caseworker, case=case, title="Review", assignee=org_admin).assignee == org_admin


@pytest.mark.parametrize("role", [Role.ANALYST, Role.VIEWER])
def test_roles_that_do_not_write_cases_cannot_add_tasks(case, organisation, role):
    user = staff(organisation, role)
    case.memberships.create(organisation=organisation, user=user)
    with pytest.raises(PermissionDenied):
        task_create(actor=user, case=case, title="Anything")
    assert not Task.objects.exists()


def test_an_outsider_cannot_add_tasks(case, outsider):
    with pytest.raises(PermissionDenied):
        task_create(actor=outsider, case=case, title="Anything")


def test_task_update_records_changed_fields_only(case, caseworker, lawyer):
    task = task_create(actor=caseworker, case=case, title="Draft appeal")
    task_update(actor=caseworker, task=task, title="Draft appeal", assignee=lawyer, due_on=DUE)

    task.refresh_from_db()
    assert (task.assignee, task.due_on) == (lawyer, DUE)
    entry = AuditEntry.objects.get(action="task.update", target_id=str(task.pk))
    assert entry.changed_fields == ["assignee", "due_on"]


def test_task_update_refuses_unknown_fields(case, caseworker):
    task = task_create(actor=caseworker, case=case, title="Draft appeal")
    with pytest.raises(ValidationError) as error:
        task_update(actor=caseworker, task=task, completed_at=None)
    assert "completed_at" in error.value.error_dict


def test_task_complete_once(case, caseworker):
    task = task_create(actor=caseworker, case=case, title="Send letter")
    task_complete(actor=caseworker, task=task)

    task.refresh_from_db()
    assert task.completed_at is not None
    assert AuditEntry.objects.filter(action="task.complete", target_id=str(task.pk)).count() == 1
    with pytest.raises(ValidationError):
        task_complete(actor=caseworker, task=task)
    assert AuditEntry.objects.filter(action="task.complete", target_id=str(task.pk)).count() == 1


def test_a_viewer_cannot_complete_a_task(case, caseworker, organisation):
    task = task_create(actor=caseworker, case=case, title="Send letter")
    viewer = staff(organisation, Role.VIEWER)
    case.memberships.create(organisation=organisation, user=viewer)
    with pytest.raises(PermissionDenied):
        task_complete(actor=viewer, task=task)
    task.refresh_from_db()
    assert task.completed_at is None


def test_deadline_add_by_hand(case, lawyer):
    deadline = deadline_add(actor=lawyer, case=case, kind="submission", title="Observations to the court", due_on=DUE)

    stored = Deadline.objects.get(pk=deadline.pk)
    assert (stored.kind, stored.title, stored.due_on, stored.status) == (
        "submission",
        "Observations to the court",
        DUE,
        DeadlineStatus.OPEN,
    )
    assert stored.decision is None and stored.legal_rule is None
    entry = AuditEntry.objects.get(action="deadline.create", target_id=str(deadline.pk))
    assert entry.details == {"kind": "submission"}


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"kind": "not-a-kind", "due_on": DUE}, "kind"),
        ({"kind": "other", "due_on": DUE, "title": " "}, "title"),
        ({"kind": "appeal", "due_on": None}, "due_on"),
    ],
)
def test_deadline_add_validation_writes_nothing(case, caseworker, arguments, field):
    with pytest.raises(ValidationError) as error:
        deadline_add(actor=caseworker, case=case, **arguments)
    assert field in error.value.error_dict
    assert not Deadline.objects.exists()


def test_deadline_add_refused_outside_the_case(case, outsider, organisation):
    colleague = staff(organisation)
    for user in (outsider, colleague):
        with pytest.raises(PermissionDenied):
            deadline_add(actor=user, case=case, kind="appeal", due_on=DUE)
    assert not Deadline.objects.exists()


def test_deadline_status_met_then_reopened(case, caseworker):
    deadline = deadline_add(actor=caseworker, case=case, kind="appeal", due_on=DUE)
    deadline_set_status(actor=caseworker, deadline=deadline, status="met")
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.MET
    entry = AuditEntry.objects.get(action="deadline.status", target_id=str(deadline.pk))
    assert entry.details == {"from": "open", "to": "met"} and entry.changed_fields == ["status"]

    deadline_set_status(actor=caseworker, deadline=deadline, status="open")
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.OPEN


@pytest.mark.parametrize("status", ["open", "done", ""])
def test_deadline_status_must_change_to_a_known_status(case, caseworker, status):
    deadline = deadline_add(actor=caseworker, case=case, kind="appeal", due_on=DUE)
    with pytest.raises(ValidationError) as error:
        deadline_set_status(actor=caseworker, deadline=deadline, status=status)
    assert "status" in error.value.error_dict
    assert not AuditEntry.objects.filter(action="deadline.status").exists()


def test_deadline_status_refused_to_a_colleague_outside_the_case(case, caseworker, organisation):
    deadline = deadline_add(actor=caseworker, case=case, kind="appeal", due_on=DUE)
    other_case = case_with_member(organisation, staff(organisation))
    colleague = other_case.memberships.get().user
    with pytest.raises(PermissionDenied):
        deadline_set_status(actor=colleague, deadline=deadline, status="missed")
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.OPEN
