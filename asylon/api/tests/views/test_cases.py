"""/api/v1/cases/: list, read, open and change through the selectors and services, audited like the pages."""

from __future__ import annotations

import pytest

from asylon.accounts.models import Role
from asylon.audit.models import AuditEntry
from asylon.cases.models import Case, CaseMembership
from tests.factories import case_with_member, staff

pytestmark = pytest.mark.django_db
CASES = "/api/v1/cases/"


def test_lists_only_the_cases_the_user_may_open(api_client, organisation, caseworker, case):
    colleagues_case = case_with_member(organisation, staff(organisation))
    listed = api_client(caseworker).get(CASES).json()
    assert [row["id"] for row in listed["results"]] == [str(case.pk)]
    assert set(listed) == {"next", "previous", "results"}
    admin_listed = api_client(staff(organisation, Role.ORG_ADMIN)).get(CASES).json()["results"]
    assert {row["id"] for row in admin_listed} == {str(case.pk), str(colleagues_case.pk)}


def test_a_non_member_caseworker_gets_404_for_another_case(api_client, organisation, case):
    stranger = staff(organisation)
    client = api_client(stranger, "write")
    assert client.get(f"{CASES}{case.pk}/").status_code == 404
    response = client.patch(f"{CASES}{case.pk}/", {"risk": "low"}, format="json")
    assert response.status_code == 404 and response.json() == {"detail": "Not found.", "code": "not_found"}
    assert client.get(f"{CASES}not-a-uuid/").status_code == 404


def test_reading_a_case_is_read_audited_for_the_tokens_user(api_client, caseworker, case):
    response = api_client(caseworker).get(f"{CASES}{case.pk}/")
    assert response.status_code == 200 and response.json()["reference"] == case.reference
    entry = AuditEntry.objects.filter(action="read").latest("sequence")
    assert entry.actor == caseworker and entry.organisation == case.organisation
    assert entry.details == {"cases.case": [str(case.pk)]}


def test_a_list_page_is_read_audited_with_the_ids_it_shows(api_client, organisation, caseworker):
    cases = [case_with_member(organisation, caseworker) for _ in range(3)]
    api_client(caseworker).get(CASES, {"page_size": 2})
    entry = AuditEntry.objects.filter(action="read").latest("sequence")
    assert entry.actor == caseworker and len(entry.details["cases.case"]) == 2
    assert set(entry.details["cases.case"]) <= {str(c.pk) for c in cases}


def test_pages_follow_with_a_cursor(api_client, organisation, caseworker):
    ids = {str(case_with_member(organisation, caseworker).pk) for _ in range(3)}
    client = api_client(caseworker)
    first = client.get(CASES, {"page_size": 2}).json()
    second = client.get(first["next"]).json()
    assert len(first["results"]) == 2 and len(second["results"]) == 1 and second["next"] is None
    assert {row["id"] for row in first["results"] + second["results"]} == ids
    assert client.get(CASES, {"cursor": "garbage"}).status_code == 404


def test_filters_on_clear_fields(api_client, organisation, caseworker, case):
    closed = case_with_member(organisation, caseworker)
    closed.status = "closed"
    closed.save()
    client = api_client(caseworker)
    assert [row["id"] for row in client.get(CASES, {"status": "closed"}).json()["results"]] == [str(closed.pk)]
    response = client.get(CASES, {"status": "nonsense"})
    assert response.status_code == 400 and "status" in response.json()["fields"]


def test_open_a_case_through_the_service(api_client, organisation, caseworker):
    response = api_client(caseworker, "write").post(CASES, {"risk": "high", "summary": "Synthetic"}, format="json")
    assert response.status_code == 201
    case = Case.objects.get(pk=response.json()["id"])
    assert case.risk == "high" and case.summary == "Synthetic" and case.organisation == organisation
    assert CaseMembership.objects.filter(case=case, user=caseworker).exists()
    entry = AuditEntry.objects.get(action="case.open")
    assert entry.actor == caseworker and entry.target_id == str(case.pk)


def test_service_validation_errors_are_400_by_field(api_client, caseworker, case):
    client = api_client(caseworker, "write")
    response = client.post(CASES, {"reference": case.reference}, format="json")
    assert response.status_code == 400
    assert response.json()["fields"] == {"reference": ["A case with this reference already exists."]}
    response = client.patch(f"{CASES}{case.pk}/", {"closed_on": "2020-01-01"}, format="json")
    assert response.status_code == 400 and "closed_on" in response.json()["fields"]
    assert client.post(CASES, "not json", content_type="application/json").status_code == 400


def test_change_a_case_through_the_service(api_client, caseworker, case):
    response = api_client(caseworker, "write").patch(f"{CASES}{case.pk}/", {"risk": "critical"}, format="json")
    assert response.status_code == 200 and response.json()["risk"] == "critical"
    case.refresh_from_db()
    assert case.risk == "critical"
    entry = AuditEntry.objects.get(action="case.update")
    assert entry.actor == caseworker and entry.changed_fields == ["risk"]


def test_an_analyst_sees_no_case_and_may_not_open_one(api_client, organisation, case):
    client = api_client(staff(organisation, Role.ANALYST))
    assert client.get(CASES).json()["results"] == []
    assert client.get(f"{CASES}{case.pk}/").status_code == 404


def test_permission_denied_by_the_service_is_403_and_audited(api_client, organisation, case):
    viewer = staff(organisation, Role.VIEWER)
    CaseMembership.objects.create(organisation=organisation, case=case, user=viewer)
    lawyer = staff(organisation, Role.LAWYER)
    # A lawyer write token whose user then becomes a viewer: the service refuses, as on the pages.
    client = api_client(lawyer, "write")
    CaseMembership.objects.create(organisation=organisation, case=case, user=lawyer)
    lawyer.memberships.update(role=Role.VIEWER)
    response = client.patch(f"{CASES}{case.pk}/", {"risk": "low"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert AuditEntry.objects.filter(action="access.denied", actor=lawyer).exists()
    case.refresh_from_db()
    assert case.risk == "medium"


def test_messages_in_the_language_asked_for(api_client, caseworker, case):
    client = api_client(caseworker, "write")
    response = client.post(CASES, {"reference": case.reference}, format="json", HTTP_ACCEPT_LANGUAGE="lt")
    assert response.status_code == 400
    assert response.json()["fields"]["reference"] != ["A case with this reference already exists."]
    assert response["Content-Language"] == "lt"


def test_a_refused_change_notes_no_read(api_client, caseworker, case):
    api_client(caseworker, "write").patch(f"{CASES}{case.pk}/", {"closed_on": "2020-01-01"}, format="json")
    assert not AuditEntry.objects.filter(action="read").exists()


def test_an_empty_change_writes_nothing_but_is_still_authorised(api_client, organisation, caseworker, case):
    assert api_client(caseworker, "write").patch(f"{CASES}{case.pk}/", {}, format="json").status_code == 200
    assert not AuditEntry.objects.filter(action="case.update").exists()
    viewer = staff(organisation, Role.LAWYER)
    client = api_client(viewer, "write")
    CaseMembership.objects.create(organisation=organisation, case=case, user=viewer)
    viewer.memberships.update(role=Role.VIEWER)
    assert client.patch(f"{CASES}{case.pk}/", {}, format="json").status_code == 403
