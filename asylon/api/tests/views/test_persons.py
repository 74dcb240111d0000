"""/api/v1/persons/: visibility, clearance (fields above it are absent), the blind-index name search,
create and change through the services."""

from __future__ import annotations

import pytest

from asylon.accounts.models import Role
from asylon.audit.models import AuditEntry
from asylon.cases.models import CaseMembership
from asylon.people.models import Person
from tests.factories import case_with_member, staff

pytestmark = pytest.mark.django_db
PERSONS = "/api/v1/persons/"


def test_a_viewer_token_receives_no_field_above_its_clearance(api_client, organisation, case, seeded):
    viewer = staff(organisation, Role.VIEWER)
    CaseMembership.objects.create(organisation=organisation, case=case, user=viewer)
    shown = api_client(viewer).get(f"{PERSONS}{seeded['persons']}/").json()
    for confidential in ("given_name", "family_name", "birth_date", "contacts", "identifiers", "biography"):
        assert confidential not in shown
    assert shown["citizenship"] == "BY" and shown["id"] == seeded["persons"]
    listed = api_client(viewer).get(PERSONS).json()["results"]
    assert listed and all("given_name" not in row for row in listed)


def test_a_caseworker_receives_the_names(api_client, caseworker, seeded):
    shown = api_client(caseworker).get(f"{PERSONS}{seeded['persons']}/").json()
    assert shown["given_name"] == "Сяргей" and shown["family_name"] == "Іваноў"


def test_reading_a_person_is_read_audited(api_client, caseworker, seeded):
    api_client(caseworker).get(f"{PERSONS}{seeded['persons']}/")
    entry = AuditEntry.objects.filter(action="read").latest("sequence")
    assert entry.actor == caseworker and entry.details == {"people.person": [seeded["persons"]]}


def test_persons_of_other_cases_are_not_found(api_client, organisation, seeded):
    stranger = staff(organisation)
    case_with_member(organisation, stranger)
    client = api_client(stranger)
    assert client.get(PERSONS).json()["results"] == []
    assert client.get(f"{PERSONS}{seeded['persons']}/").status_code == 404


def test_name_search_in_any_script_through_the_blind_index(api_client, organisation, caseworker, case, seeded):
    client = api_client(caseworker)
    for query in ("Сяргей", "ivanou", "Сергей Иванов"):
        found = client.get(PERSONS, {"name": query}).json()["results"]
        assert [row["id"] for row in found] == [seeded["persons"]], query
    assert client.get(PERSONS, {"name": "Петров"}).json()["results"] == []
    viewer = staff(organisation, Role.VIEWER)
    CaseMembership.objects.create(organisation=organisation, case=case, user=viewer)
    assert api_client(viewer).get(PERSONS, {"name": "Сяргей"}).json()["results"] == []  # names above clearance


def test_filters_on_clear_fields(api_client, caseworker, seeded):
    client = api_client(caseworker)
    assert len(client.get(PERSONS, {"citizenship": "BY"}).json()["results"]) == 1
    assert client.get(PERSONS, {"citizenship": "UA"}).json()["results"] == []
    assert client.get(PERSONS, {"birth_year": "99999999999"}).status_code == 400


def test_create_a_person_on_a_case(api_client, caseworker, case):
    body = {
        "case": str(case.pk),
        "given_name": "Aliaksandr",
        "family_name": "Kavalenka",
        "contacts": [{"kind": "phone", "value": "+370 600 00000"}],
        "identifiers": [{"type": "passport", "number": "MP1234567", "country": "BY"}],
        "languages": ["be", "ru"],
        "birth_year": 1990,
    }
    response = api_client(caseworker, "write").post(PERSONS, body, format="json")
    assert response.status_code == 201, response.json()
    person = Person.objects.get(pk=response.json()["id"])
    assert person.family_name == "Kavalenka" and person.case_parties.get().case == case
    assert person.identifiers == [{"type": "passport", "number": "MP1234567", "country": "BY"}]
    assert AuditEntry.objects.filter(action="person.create", actor=caseworker, target_id=str(person.pk)).exists()
    found = api_client(caseworker).get(PERSONS, {"name": "Кавалэнка"}).json()["results"]  # its blind index
    assert [row["id"] for row in found] == [str(person.pk)]


def test_create_refused_for_a_case_the_user_may_not_open(api_client, organisation, case):
    stranger = staff(organisation)
    response = api_client(stranger, "write").post(PERSONS, {"case": str(case.pk), "given_name": "X"}, format="json")
    assert response.status_code == 400 and "case" in response.json()["fields"]
    assert not Person.objects.exists()


def test_bad_shapes_are_400_by_field(api_client, caseworker, case):
    client = api_client(caseworker, "write")
    body = {"case": str(case.pk), "contacts": [{"kind": "phone"}], "birth_year": 1850, "sex": "x"}
    response = client.post(PERSONS, body, format="json")
    assert response.status_code == 400
    assert {"contacts.0.value", "sex"} <= set(response.json()["fields"])
    assert not Person.objects.exists()
    response = client.post(PERSONS, {"case": str(case.pk), "birth_year": 1850}, format="json")
    assert response.status_code == 400 and "birth_year" in response.json()["fields"]


def test_change_a_person(api_client, caseworker, seeded):
    url = f"{PERSONS}{seeded['persons']}/"
    response = api_client(caseworker, "write").patch(url, {"family_name": "Ivanou", "dependants": 2}, format="json")
    assert response.status_code == 200 and response.json()["family_name"] == "Ivanou"
    entry = AuditEntry.objects.get(action="person.update")
    assert entry.changed_fields == ["dependants", "family_name"] and entry.actor == caseworker
