"""/api/v1/persons/: visibility, clearance (fields above it are absent), the search posted to
/api/v1/persons/search/ (blind-index names, birth year; nothing personal in any URL), create and
change through the services."""

from __future__ import annotations

import pytest

from asylon.accounts.models import Role
from asylon.audit.models import AuditEntry
from asylon.cases.models import CaseMembership
from asylon.people.models import Person
from asylon.people.services import person_create
from tests.factories import case_with_member, staff

pytestmark = pytest.mark.django_db
PERSONS = "/api/v1/persons/"
SEARCH = "/api/v1/persons/search/"


def found(client, body):
    response = client.post(SEARCH, body, format="json")
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


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
    client = api_client(caseworker)  # a read token: the search is a read, though posted
    for query in ("Сяргей", "ivanou", "Сергей Иванов"):
        assert found(client, {"name": query}) == [seeded["persons"]], query
    assert found(client, {"name": "Петров"}) == []
    viewer = staff(organisation, Role.VIEWER)
    CaseMembership.objects.create(organisation=organisation, case=case, user=viewer)
    assert found(api_client(viewer), {"name": "Сяргей"}) == []  # names above clearance


def test_search_by_birth_year_alone_or_with_a_name(api_client, organisation, caseworker, case, seeded):
    born_1990 = person_create(actor=caseworker, case=case, given_name="Сяргей", family_name="Пятроў", birth_year=1990)
    client = api_client(caseworker)
    assert found(client, {"birth_year": 1990}) == [str(born_1990.pk)]
    assert set(found(client, {"name": "Siarhei"})) == {seeded["persons"], str(born_1990.pk)}
    assert found(client, {"name": "Siarhei", "birth_year": 1990}) == [str(born_1990.pk)]
    viewer = staff(organisation, Role.VIEWER)  # a birth year is within a viewer's clearance, a name is not
    CaseMembership.objects.create(organisation=organisation, case=case, user=viewer)
    assert found(api_client(viewer), {"birth_year": 1990}) == [str(born_1990.pk)]


def test_searching_is_read_audited(api_client, caseworker, seeded):
    found(api_client(caseworker), {"name": "Іваноў"})
    entry = AuditEntry.objects.filter(action="read").latest("sequence")
    assert entry.actor == caseworker and entry.details == {"people.person": [seeded["persons"]]}
    assert "Іваноў" not in str(entry.details)


def test_search_pages_follow_cursor_links_that_name_no_one(api_client, caseworker, case):
    for number in range(3):
        person_create(actor=caseworker, case=case, given_name="Aliaksei", family_name=f"Kavaliou{number}")
    client = api_client(caseworker)
    body = {"name": "Aliaksei", "page_size": 2}
    first = client.post(SEARCH, body, format="json").json()
    assert len(first["results"]) == 2 and first["previous"] is None
    assert "cursor=" in first["next"] and "liaksei" not in first["next"] and "page_size" not in first["next"]
    second = client.post(first["next"], body, format="json").json()  # the same body, to the next link
    assert len(second["results"]) == 1 and second["next"] is None
    assert "liaksei" not in second["previous"]
    shown = [row["id"] for row in first["results"] + second["results"]]
    assert len(set(shown)) == 3


def test_bad_searches_are_400_in_the_error_shape(api_client, caseworker, seeded):
    client = api_client(caseworker)
    for body, field in (
        ({"name": "x" * 201}, "name"),  # the search text cap, as on the people search page
        ({}, "name"),
        ({"name": " "}, "name"),
        ({"name": "Ivanou", "page_size": 0}, "page_size"),
        ({"name": "Ivanou", "page_size": 201}, "page_size"),
        ({"birth_year": 99999999999}, "birth_year"),
    ):
        response = client.post(SEARCH, body, format="json")
        assert response.status_code == 400, body
        assert response.json()["code"] == "invalid" and field in response.json()["fields"], body
    response = client.post(f"{SEARCH}?name=Ivanou", {"name": "Ivanou"}, format="json")
    assert response.status_code == 400 and "name" in response.json()["fields"]  # the URL takes only a cursor
    assert client.post(SEARCH, "[", content_type="application/json").status_code == 400


def test_name_and_birth_year_are_refused_in_the_list_url(api_client, caseworker, seeded):
    client = api_client(caseworker)
    for parameter, value in (("name", "Ivanou"), ("birth_year", "1990")):
        response = client.get(PERSONS, {parameter: value})
        assert response.status_code == 400 and parameter in response.json()["fields"], parameter


def test_filters_on_clear_fields(api_client, caseworker, seeded):
    client = api_client(caseworker)
    assert len(client.get(PERSONS, {"citizenship": "BY"}).json()["results"]) == 1
    assert client.get(PERSONS, {"citizenship": "UA"}).json()["results"] == []
    assert client.get(PERSONS, {"sex": "nonsense"}).status_code == 400


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
    assert found(api_client(caseworker), {"name": "Кавалэнка"}) == [str(person.pk)]  # its blind index


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
