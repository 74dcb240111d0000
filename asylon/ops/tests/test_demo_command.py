from io import StringIO

import pytest
from django.core.management import call_command

from asylon.accounts.models import Organisation, User
from asylon.audit.models import AuditEntry
from asylon.cases.models import Case, CaseMembership, Event
from asylon.ops.management.commands import demo
from asylon.people.models import Person
from asylon.reports.models import ExternalStatistic


@pytest.fixture
def small_demo(monkeypatch):
    monkeypatch.setattr(demo, "DEMO_PERSONS", 20)


def run_demo():
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    return out.getvalue()


def counts():
    return {
        model: model.objects.count()
        for model in (Organisation, User, Person, Case, Event, CaseMembership, ExternalStatistic)
    }


@pytest.mark.django_db
def test_demo_loads_once_and_shows_one_time_passwords_once(small_demo):
    first = run_demo()
    loaded = counts()
    assert loaded[Person] == 20
    assert ExternalStatistic.objects.filter(code="by_threats_2024", value=598).exists()  # cited outside figures
    assert "demo login:    caseworker@example.org" in first
    assert "demo login:    lawyer@example.org" in first
    assert first.count("one-time password") == 3  # the admin's and the two demo accounts'
    caseworker = User.objects.get(email="caseworker@example.org")
    assert CaseMembership.objects.filter(user=caseworker).exists()

    entries = AuditEntry.objects.count()
    second = run_demo()

    assert counts() == loaded
    assert AuditEntry.objects.count() == entries
    assert "one-time password" not in second
    assert "data directory reused" in second
