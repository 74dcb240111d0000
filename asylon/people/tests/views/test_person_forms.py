"""Adding a person to a case and editing a person, within the user's clearance."""

from __future__ import annotations

import pytest
from django.urls import reverse

from asylon.audit.models import AuditEntry
from asylon.cases.models import CaseParty
from asylon.people.models import Person
from tests.factories import sign_in
from tests.naughty import naughty_strings

pytestmark = pytest.mark.django_db
REQUIRED = {"sex": "unknown", "military_service_category": "unknown", "dependants": "0"}


def test_adding_a_person_to_a_case(client, caseworker, case):
    sign_in(client, caseworker)
    response = client.post(
        reverse("people:person_add", args=[case.pk]),
        {
            **REQUIRED,
            "role": "co_applicant",
            "given_name": "Ганна",
            "family_name": "Лукашэвіч",
            "name_variants": "Hanna Lukashevich\nАнна Лукашевич\n",
            "identifiers": "passport (BY): MP7654321\nlt_residence_permit: 12345678",
            "contacts": "phone: +370 600 00001",
            "addresses": "Gedimino pr. 1, Vilnius",
            "birth_date": "1990-02-03",
            "citizenship": "by",
            "languages": "be, ru",
        },
    )
    person = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("people:person_detail", args=[person.pk])
    assert CaseParty.objects.get(person=person).role == "co_applicant"
    assert person.name_variants == ["Hanna Lukashevich", "Анна Лукашевич"]
    assert person.identifiers == [
        {"type": "passport", "number": "MP7654321", "country": "BY"},
        {"type": "lt_residence_permit", "number": "12345678"},
    ]
    assert person.contacts == [{"kind": "phone", "value": "+370 600 00001"}]
    assert (person.citizenship, person.birth_year, person.languages) == ("BY", 1990, ["be", "ru"])
    search = client.post(reverse("people:person_search"), {"q": "Anna Lukashevich"}, follow=True).content.decode()
    assert reverse("people:person_detail", args=[person.pk]) in search


def test_invalid_lines_show_field_errors_and_nothing_is_written(client, caseworker, case):
    sign_in(client, caseworker)
    response = client.post(
        reverse("people:person_add", args=[case.pk]),
        {**REQUIRED, "role": "client", "identifiers": "just a number", "citizenship": "Belarus", "birth_year": "1700"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Line 1: write the document type" in page
    assert "two-letter country code" in page
    assert "not a plausible year" in page
    assert not Person.objects.exists()


def test_htmx_gets_the_form_partial_and_a_client_redirect(client, caseworker, person):
    sign_in(client, caseworker)
    url = reverse("people:person_edit", args=[person.pk])
    invalid = client.post(url, {**REQUIRED, "sex": "robot"}, HTTP_HX_REQUEST="true")
    assert invalid.content.decode().lstrip().startswith("<form")
    valid = client.post(url, {**REQUIRED, "given_name": "Сяргей", "family_name": "Пятроў"}, HTTP_HX_REQUEST="true")
    assert valid["HX-Redirect"] == reverse("people:person_detail", args=[person.pk])


def test_edit_writes_only_what_changed(client, caseworker, person):
    sign_in(client, caseworker)
    url = reverse("people:person_edit", args=[person.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {name: value for name, value in data.items() if value is not None and value is not False}
    data["region"] = "Vilnius"
    data["birth_date"] = ""

    response = client.post(url, data)

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.region == "Vilnius"
    assert person.identifiers == [{"type": "passport", "country": "BY", "number": "MP1234567"}]
    assert AuditEntry.objects.filter(action="person.update").get().changed_fields == ["region"]


def test_a_viewer_and_an_outsider_are_refused(client, viewer, outsider, person, case):
    sign_in(client, viewer)
    assert client.get(reverse("people:person_edit", args=[person.pk])).status_code == 403
    assert client.get(reverse("people:person_add", args=[case.pk])).status_code == 403
    sign_in(client, outsider)
    assert client.get(reverse("people:person_edit", args=[person.pk])).status_code == 404
    assert client.post(reverse("people:person_add", args=[case.pk]), {**REQUIRED, "role": "client"}).status_code == 404
    assert Person.objects.count() == 1


def _naughty_strings() -> list[str]:
    strings = naughty_strings()
    return [strings[index] for index in (7, 116, 124, 132, 149, 167, 177, 198, 401, 429, 455, 463, 513)]


@pytest.mark.sqlite_only
@pytest.mark.parametrize("text", _naughty_strings())
def test_naughty_strings_round_trip_and_are_escaped(client, caseworker, person, text):
    sign_in(client, caseworker)
    url = reverse("people:person_edit", args=[person.pk])
    response = client.post(url, {**REQUIRED, "given_name": text, "family_name": "Іваноў", "biography": text})
    assert response.status_code == 302, response.content.decode()[:500]
    person.refresh_from_db()
    assert person.given_name == text and person.biography == text
    page = client.get(reverse("people:person_detail", args=[person.pk])).content.decode()
    assert "<script>alert" not in page and "<IMG" not in page and "<foo" not in page
    edit_form = client.get(url).context["form"]
    assert edit_form["given_name"].value() == text


def test_the_case_page_links_to_add_a_person_for_writers_only(client, caseworker, viewer, case):
    link = reverse("people:person_add", args=[case.pk])
    sign_in(client, caseworker)
    assert link in client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    sign_in(client, viewer)
    assert link not in client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
