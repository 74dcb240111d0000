"""The dashboard at /home/: my deadlines (overdue, next 7 days), urgent cases, my tasks; no names."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from asylon.cases.models import Deadline, StatusPeriod
from asylon.cases.services.decisions import decision_record
from asylon.cases.services.work import task_create
from tests.factories import case_with_member, person_on_case, sign_in, staff

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 3, 10)


@pytest.fixture(autouse=True)
def in_english():
    """URLs and messages in the default language, whatever an earlier test's request left active."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2025, 3, 10, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


def deadline(case, due_on, kind="appeal", title=""):
    return Deadline.objects.create(organisation=case.organisation, case=case, kind=kind, title=title, due_on=due_on)


def page(client, user):
    response = sign_in(client, user).get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def section(body, heading_id):
    """The HTML of one dashboard section, from its heading to the next section."""
    start = body.index(f'id="{heading_id}"')
    return body[start : body.find("<section", start) if "<section" in body[start:] else None]


def test_my_deadlines_are_split_into_overdue_and_this_week(client, caseworker, case):
    person_on_case(case)
    deadline(case, TODAY - datetime.timedelta(days=5), kind="submission", title="Observations")
    deadline(case, TODAY + datetime.timedelta(days=2))
    deadline(case, TODAY + datetime.timedelta(days=40), kind="hearing")

    body = page(client, caseworker)
    deadlines = section(body, "my-deadlines-heading")
    overdue, this_week = deadlines.split('id="week-heading"')
    assert "submission of documents or observations: Observations" in overdue and "(overdue)" in overdue
    assert "appeal" in this_week and "Observations" not in this_week
    assert "hearing" not in deadlines  # beyond the week
    assert reverse("cases:case_detail", args=[case.pk]) in deadlines and case.reference in deadlines
    assert "Тэставы" not in body and "Тэст" not in body


def test_cases_i_am_not_on_stay_off_my_dashboard(client, caseworker, organisation, case, outsider):
    colleague_case = case_with_member(organisation, staff(organisation))
    deadline(colleague_case, TODAY)
    foreign = case_with_member(outsider.memberships.get().organisation, outsider)
    deadline(foreign, TODAY)

    body = page(client, caseworker)
    assert colleague_case.reference not in body and foreign.reference not in body
    assert "No deadlines this week." in body and "Nothing overdue." in body


def test_an_org_admin_sees_cases_they_are_member_of_or_lead(client, org_admin, organisation, caseworker):
    led = case_with_member(organisation, caseworker)
    led.lead_assignee = org_admin
    led.save()
    member_of = case_with_member(organisation, org_admin)
    other = case_with_member(organisation, caseworker)
    for each in (led, member_of, other):
        deadline(each, TODAY + datetime.timedelta(days=1))

    body = page(client, org_admin)
    assert led.reference in body and member_of.reference in body and other.reference not in body


def test_urgent_cases_detained_removal_ordered_or_deadline_soon(client, caseworker, lawyer, organisation, case):
    detained = case_with_member(organisation, caseworker)
    StatusPeriod.objects.create(
        organisation=organisation,
        case=detained,
        person=person_on_case(detained),
        kind="liberty",
        status="detained_administrative",
        started_on=datetime.date(2025, 3, 1),
        current=True,
    )
    removal = case_with_member(organisation, caseworker)
    decision_record(
        actor=caseworker,
        case=removal,
        decision_type="expulsion",
        decision_maker="migration_department",
        served_on=datetime.date(2025, 1, 2),
    )
    soon = case_with_member(organisation, caseworker)
    deadline(soon, TODAY + datetime.timedelta(days=3))
    calm = case_with_member(organisation, caseworker)
    deadline(calm, TODAY + datetime.timedelta(days=4))

    urgent = section(page(client, caseworker), "urgent-heading")
    assert detained.reference in urgent and "in detention" in urgent
    assert removal.reference in urgent and "removal ordered" in urgent
    assert soon.reference in urgent and "an open deadline within 3 days" in urgent
    assert calm.reference not in urgent and case.reference not in urgent


def test_my_tasks_by_due_date_with_their_actions(client, caseworker, lawyer, case):
    later = task_create(
        actor=caseworker, case=case, title="Later task", assignee=caseworker, due_on=TODAY + datetime.timedelta(days=9)
    )
    sooner = task_create(actor=caseworker, case=case, title="Sooner task", assignee=caseworker, due_on=TODAY)
    task_create(actor=caseworker, case=case, title="Lawyer's task", assignee=lawyer)

    tasks = section(page(client, caseworker), "my-tasks-heading")
    assert tasks.index("Sooner task") < tasks.index("Later task")
    assert "Lawyer's task" not in tasks
    assert reverse("cases:task_complete", args=[case.pk, sooner.pk]) in tasks
    assert reverse("cases:task_edit", args=[case.pk, later.pk]) in tasks


def test_an_analyst_is_told_what_they_can_do_instead(client, analyst, case):
    case.memberships.create(organisation=case.organisation, user=analyst)
    deadline(case, TODAY)
    body = page(client, analyst)
    assert "statistics" in body and case.reference not in body
    assert "Your organisations" in body


def test_the_dashboard_is_get_only(client, caseworker):
    assert sign_in(client, caseworker).post(reverse("home")).status_code == 405
