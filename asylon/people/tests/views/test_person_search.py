"""The people search: names in any script, document numbers, redaction, pagination, bad input."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import sign_in

pytestmark = pytest.mark.django_db
URL = reverse("people:person_search")


@pytest.mark.parametrize("spelling", ["Сяргей Іваноў", "Siarhei Ivanou", "Sergei Ivanov"])
def test_three_spellings_find_the_person_with_their_case(client, caseworker, person, case, spelling):
    sign_in(client, caseworker)
    page = client.get(URL, {"q": spelling}).content.decode()
    assert reverse("people:person_detail", args=[person.pk]) in page
    assert reverse("cases:case_detail", args=[case.pk]) in page
    assert case.reference in page
    assert "Сяргей" in page


def test_document_number_finds_the_person(client, caseworker, person):
    sign_in(client, caseworker)
    page = client.get(URL, {"number": "mp 1234567"}).content.decode()
    assert reverse("people:person_detail", args=[person.pk]) in page


def test_a_viewer_cannot_use_search_as_an_oracle_for_names(client, viewer, person):
    """A viewer may not read names, so a name or document number they type must not confirm a person."""
    sign_in(client, viewer)
    for params in ({"q": "Siarhei Ivanou"}, {"number": "MP1234567"}):
        page = client.get(URL, params).content.decode()
        assert reverse("people:person_detail", args=[person.pk]) not in page
        assert "Сяргей" not in page and "Іваноў" not in page
        assert "Your role does not show names" in page


def test_results_show_names_only_as_clearance_allows(client, org_admin, person):
    sign_in(client, org_admin)
    page = client.get(URL, {"q": "Siarhei"}).content.decode()
    assert "Сяргей" in page


def test_an_outsider_finds_no_one(client, outsider, person):
    sign_in(client, outsider)
    page = client.get(URL, {"q": "Siarhei"}).content.decode()
    assert reverse("people:person_detail", args=[person.pk]) not in page
    assert "No one found" in page


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 5000},
        {"q": "'; DROP TABLE people_person; --", "page": "-1"},
        {"q": "Siarhei", "page": "abc"},
        {"number": "\u202e\u0000"},
        {"q": "\U0001f600 \u0301\u0301", "number": "::::"},
    ],
)
def test_bad_input_never_fails(client, caseworker, person, params):
    sign_in(client, caseworker)
    assert client.get(URL, params).status_code == 200


def test_results_are_paged(client, caseworker, case):
    from asylon.people.views.search import PAGE_SIZE
    from tests.factories import person_on_case

    for _ in range(PAGE_SIZE + 2):
        person_on_case(case, given_name="Алег")
    from asylon.people.lookups import lookups_refresh
    from asylon.people.models import Person

    for each in Person.objects.all():
        lookups_refresh(each)
    sign_in(client, caseworker)
    first = client.get(URL, {"q": "Aleh"})
    assert first.context["page"].paginator.count == PAGE_SIZE + 2
    assert len(first.context["results"]) == PAGE_SIZE
    assert len(client.get(URL, {"q": "Aleh", "page": 2}).context["results"]) == 2
