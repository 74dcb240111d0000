"""/api/v1/events/ and /api/v1/decisions/: through event_record/event_update and decision_record/
decision_update, with vocabulary codes; visibility and clearance as on the pages."""

from __future__ import annotations

import pytest

from asylon.accounts.models import Role
from asylon.audit.models import AuditEntry
from asylon.cases.models import CaseMembership, Deadline, Decision, Event
from tests.factories import staff

pytestmark = pytest.mark.django_db
EVENTS, DECISIONS = "/api/v1/events/", "/api/v1/decisions/"


def test_list_and_read_events_with_codes(api_client, caseworker, seeded):
    client = api_client(caseworker)
    listed = client.get(EVENTS, {"event_type": "visa_refused"}).json()["results"]
    assert [row["id"] for row in listed] == [seeded["events"]]
    shown = client.get(f"{EVENTS}{seeded['events']}/").json()
    assert shown["event_type"] == "visa_refused" and shown["person"] == seeded["persons"] and shown["year"] == 2024
    assert client.get(EVENTS, {"event_type": "arrest_no_such"}).json()["results"] == []


def test_a_viewer_sees_the_coarse_date_not_the_exact_one(api_client, organisation, case, seeded):
    viewer = staff(organisation, Role.VIEWER)
    CaseMembership.objects.create(organisation=organisation, case=case, user=viewer)
    shown = api_client(viewer).get(f"{EVENTS}{seeded['events']}/").json()
    assert "occurred_on" not in shown and "description" not in shown and shown["year"] == 2024


def test_record_an_event(api_client, caseworker, case, seeded):
    body = {
        "case": str(case.pk),
        "person": seeded["persons"],
        "event_type": "visa_refused",
        "date_precision": "day",
        "occurred_on": "2024-05-06",
        "country": "LT",
    }
    response = api_client(caseworker, "write").post(EVENTS, body, format="json")
    assert response.status_code == 201, response.json()
    event = Event.objects.get(pk=response.json()["id"])
    assert event.occurred_on.isoformat() == "2024-05-06" and event.year == 2024 and event.month == 5
    assert AuditEntry.objects.filter(action="event.create", actor=caseworker, target_id=str(event.pk)).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"event_type": "no_such_type", "date_precision": "year", "year": 2024}, "event_type"),
        ({"event_type": "visa_refused", "date_precision": "day"}, "occurred_on"),
        ({"event_type": "visa_refused", "date_precision": "month", "year": 2024}, "month"),
        ({"event_type": "visa_refused", "date_precision": "day", "occurred_on": "2999-01-01"}, "occurred_on"),
        ({"event_type": "visa_refused", "date_precision": "year", "year": 2024, "person": "0" * 32}, "person"),
    ],
)
def test_invalid_events_are_400_by_field(api_client, caseworker, case, body, field):
    response = api_client(caseworker, "write").post(EVENTS, {"case": str(case.pk), **body}, format="json")
    assert response.status_code == 400 and field in response.json()["fields"], response.json()
    assert not Event.objects.exists()


def test_change_an_event(api_client, caseworker, seeded):
    url = f"{EVENTS}{seeded['events']}/"
    response = api_client(caseworker, "write").patch(url, {"violation_status": "confirmed"}, format="json")
    assert response.status_code == 200 and response.json()["violation_status"] == "confirmed"
    assert AuditEntry.objects.get(action="event.update").changed_fields == ["violation_status"]


def test_list_and_read_decisions(api_client, caseworker, seeded):
    client = api_client(caseworker)
    assert [row["id"] for row in client.get(DECISIONS).json()["results"]] == [seeded["decisions"]]
    shown = client.get(f"{DECISIONS}{seeded['decisions']}/").json()
    assert shown["decision_type"] == "asylum" and shown["served_on"] == "2024-03-04" and shown["grounds"] == []


def test_record_a_decision_and_its_deadlines_follow(api_client, caseworker, case):
    body = {
        "case": str(case.pk),
        "decision_type": "asylum",
        "decision_maker": "migration_department",
        "served_on": "2024-03-04",
        "grounds": ["national_security_threat_unspecified"],
    }
    response = api_client(caseworker, "write").post(DECISIONS, body, format="json")
    assert response.status_code == 201, response.json()
    decision = Decision.objects.get(pk=response.json()["id"])
    assert response.json()["grounds"] == ["national_security_threat_unspecified"]
    assert AuditEntry.objects.filter(action="decision.create", target_id=str(decision.pk)).exists()
    assert Deadline.objects.filter(decision=decision).exists()


def test_invalid_decisions_are_400_by_field(api_client, caseworker, case):
    client = api_client(caseworker, "write")
    body = {"case": str(case.pk), "decision_type": "asylum", "decision_maker": "migration_department"}
    response = client.post(DECISIONS, {**body, "served_on": "2024-03-01", "decided_on": "2024-03-05"}, format="json")
    assert response.status_code == 400 and "served_on" in response.json()["fields"]
    response = client.post(DECISIONS, {**body, "served_on": None, "grounds": ["no_such"]}, format="json")
    assert response.status_code == 400 and "grounds" in response.json()["fields"]
    assert not Decision.objects.exists()


def test_change_a_decision(api_client, caseworker, seeded):
    url = f"{DECISIONS}{seeded['decisions']}/"
    response = api_client(caseworker, "write").patch(url, {"event": seeded["events"]}, format="json")
    assert response.status_code == 200 and response.json()["event"] == seeded["events"]
    response = api_client(caseworker, "write").patch(url, {"event": None}, format="json")
    assert response.status_code == 200 and response.json()["event"] is None
