"""Daily reminder emails: a count and a link, never a name or case reference; once a day per user."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import translation

from asylon.audit.models import AuditEntry
from asylon.cases.models import Deadline
from asylon.cases.services.reminders import reminders_send
from asylon.cases.services.work import task_create
from asylon.cases.tasks import daily_at_local_hour, reminders_daily
from tests.factories import person_on_case

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 3, 10)


@pytest.fixture(autouse=True)
def in_english():
    """URLs and messages in the default language, whatever an earlier test's request left active."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2025, 3, 10, 4, 0, tzinfo=datetime.UTC), tick=False):
        yield


def deadline(case, due_on):
    return Deadline.objects.create(
        organisation=case.organisation, case=case, kind="appeal", title="Appeal for Тэст Тэставы", due_on=due_on
    )


def test_a_reminder_counts_and_links_and_names_nothing(case, caseworker, lawyer, settings):
    settings.ASYLON_BASE_URL = "https://asylon.example.org"
    person = person_on_case(case, given_name="Аляксандр", family_name="Знаёмы")
    deadline(case, TODAY - datetime.timedelta(days=1))
    deadline(case, TODAY + datetime.timedelta(days=3))
    deadline(case, TODAY + datetime.timedelta(days=30))  # beyond the horizon
    task_create(actor=lawyer, case=case, title="Call Аляксандр", assignee=caseworker, due_on=TODAY)

    assert reminders_send(horizon_days=7) == 2  # the caseworker and the lawyer (a member: its deadlines)

    message = next(m for m in mail.outbox if m.to == [caseworker.email])
    text = message.subject + message.body
    assert "2 open deadlines on your cases (1 of them overdue)" in message.body
    assert "1 open task assigned to you" in message.body
    assert "3 items of work due soon" in message.subject
    assert "https://asylon.example.org/home/" in message.body
    for secret in (case.reference, person.given_name, person.family_name, "Тэставы", "Call", str(case.pk)):
        assert secret not in text
    entry = AuditEntry.objects.get(action="reminder.send", target_id=str(caseworker.pk))
    assert entry.details == {"deadlines": 2, "overdue_deadlines": 1, "tasks": 1, "horizon_days": 7}
    assert entry.actor is None


def test_users_with_nothing_due_get_nothing(case, caseworker, analyst, org_admin):
    deadline(case, TODAY + datetime.timedelta(days=30))
    task_create(actor=caseworker, case=case, title="Someday", assignee=caseworker)  # no due date
    assert reminders_send(horizon_days=7) == 0
    assert mail.outbox == []


def test_inactive_users_get_nothing(case, caseworker, lawyer):
    deadline(case, TODAY)
    lawyer.is_active = False
    lawyer.save()
    reminders_send(horizon_days=7)
    assert [m.to for m in mail.outbox] == [[caseworker.email]]


def test_running_twice_on_the_same_day_sends_once(case, caseworker, lawyer):
    deadline(case, TODAY + datetime.timedelta(days=1))
    assert reminders_send(horizon_days=7) == 2
    assert reminders_send(horizon_days=7) == 0
    assert len(mail.outbox) == 2
    with time_machine.travel(datetime.datetime(2025, 3, 11, 4, 0, tzinfo=datetime.UTC), tick=False):
        assert reminders_send(horizon_days=7) == 2  # the next day: again
    assert len(mail.outbox) == 4


def test_reminders_off_when_the_horizon_is_zero(case, caseworker):
    deadline(case, TODAY)
    assert reminders_send(horizon_days=0) == 0 and mail.outbox == []


def test_the_periodic_task_uses_the_setting_and_runs_at_six_in_vilnius(case, caseworker, lawyer, settings):
    settings.ASYLON_REMINDER_DAYS = 2
    deadline(case, TODAY + datetime.timedelta(days=2))
    reminders_daily()  # huey runs tasks immediately in tests
    assert len(mail.outbox) == 2
    six_in_vilnius = daily_at_local_hour(6)
    assert six_in_vilnius(datetime.datetime(2025, 3, 10, 4, 0))  # UTC+2 in winter
    assert six_in_vilnius(datetime.datetime(2025, 7, 10, 3, 0))  # UTC+3 in summer
    assert not six_in_vilnius(datetime.datetime(2025, 3, 10, 6, 0))
