"""The people search: names in any script, document numbers, redaction, pagination, bad input.

Searches are posted and come back sealed (`?search=<token>`): no name or number ever appears in a URL."""

from __future__ import annotations

import datetime
import re
import uuid
from urllib.parse import parse_qs, unquote_plus, urlsplit

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from asylon.common.sealed_search import seal_search
from tests.factories import sign_in

pytestmark = pytest.mark.django_db
URL = reverse("people:person_search")
LINK = re.compile(r'(?:href|hx-get|hx-post|hx-push-url|action)="([^"]*)"')


def search(client, data):
    """Post the search form and follow to the sealed URL, as a browser does."""
    return client.post(URL, data, follow=True)


def urls_of(response):
    """Every URL a search exposed: redirects followed, Location, HX-Push-Url, links and form targets."""
    urls = [url for url, _status in getattr(response, "redirect_chain", [])]
    urls += [response.headers.get(name, "") for name in ("Location", "HX-Push-Url", "HX-Redirect")]
    urls += LINK.findall(response.content.decode())
    return [unquote_plus(url).casefold().replace(" ", "") for url in urls if url]


def assert_named_in_no_url(response, *texts):
    for url in urls_of(response):
        for text in texts:
            assert text.casefold().replace(" ", "") not in url, url


@pytest.mark.parametrize("spelling", ["Сяргей Іваноў", "Siarhei Ivanou", "Sergei Ivanov"])
def test_three_spellings_find_the_person_with_their_case(client, caseworker, person, case, spelling):
    sign_in(client, caseworker)
    page = search(client, {"q": spelling}).content.decode()
    assert reverse("people:person_detail", args=[person.pk]) in page
    assert reverse("cases:case_detail", args=[case.pk]) in page
    assert case.reference in page
    assert "Сяргей" in page


def test_document_number_finds_the_person(client, caseworker, person):
    sign_in(client, caseworker)
    page = search(client, {"number": "mp 1234567"}).content.decode()
    assert reverse("people:person_detail", args=[person.pk]) in page


def test_a_viewer_cannot_use_search_as_an_oracle_for_names(client, viewer, person):
    """A viewer may not read names, so a name or document number they type must not confirm a person."""
    sign_in(client, viewer)
    for params in ({"q": "Siarhei Ivanou"}, {"number": "MP1234567"}):
        page = search(client, params).content.decode()
        assert reverse("people:person_detail", args=[person.pk]) not in page
        assert "Сяргей" not in page and "Іваноў" not in page
        assert "Your role does not show names" in page


def test_results_show_names_only_as_clearance_allows(client, org_admin, person):
    sign_in(client, org_admin)
    page = search(client, {"q": "Siarhei"}).content.decode()
    assert "Сяргей" in page


def test_an_outsider_finds_no_one(client, outsider, person):
    sign_in(client, outsider)
    page = search(client, {"q": "Siarhei"}).content.decode()
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
    page = params.pop("page", None)
    response = search(client, params)
    assert response.status_code == 200
    if page is not None:
        assert client.get(response.redirect_chain[-1][0], {"page": page}).status_code == 200


@pytest.mark.parametrize("token", ["", "x", "not base64!", "A" * 5000, "Сяргей", "\x00", "%00", "another user's"])
def test_bad_tokens_never_fail_and_say_search_again(client, caseworker, person, token):
    if token == "another user's":
        token = seal_search(user_id=uuid.uuid4(), scope="people", terms={"q": "Siarhei"})
    sign_in(client, caseworker)
    response = client.get(URL, {"search": token, "page": "2"}, follow=True)
    assert response.status_code == 200 and response.redirect_chain[-1][0] == URL
    page = response.content.decode()
    assert "This search has expired; search again." in page
    assert reverse("people:person_detail", args=[person.pk]) not in page


def test_a_token_of_the_case_list_does_not_open_here(client, caseworker, person):
    sign_in(client, caseworker)
    token = seal_search(user_id=caseworker.pk, scope="cases", terms={"q": "Siarhei"})
    assert "This search has expired" in client.get(URL, {"search": token}, follow=True).content.decode()


def test_an_expired_search_is_ignored_with_a_calm_message(client, caseworker, person):
    with time_machine.travel(timezone.now() - datetime.timedelta(hours=13)):
        token = seal_search(user_id=caseworker.pk, scope="people", terms={"q": "Siarhei"})
    sign_in(client, caseworker)
    page = client.get(URL, {"search": token}, follow=True).content.decode()
    assert "This search has expired; search again." in page
    assert reverse("people:person_detail", args=[person.pk]) not in page


@pytest.mark.parametrize(
    "data",
    [{"q": "Сяргей Іваноў"}, {"q": "Siarhei Ivanou"}, {"number": "MP1234567"}, {"q": "Sergei", "number": "MP 1234567"}],
)
def test_a_posted_search_names_no_one_in_any_url(client, caseworker, person, data):
    sign_in(client, caseworker)
    posted = client.post(URL, data)
    assert posted.status_code == 303
    assert set(parse_qs(urlsplit(posted["Location"]).query)) == {"search"}
    assert_named_in_no_url(posted, "Сяргей", "Іваноў", "Siarhei", "Ivanou", "Sergei", "MP1234567")
    response = client.get(posted["Location"])
    page = response.content.decode()
    assert reverse("people:person_detail", args=[person.pk]) in page
    for value in data.values():
        assert f'value="{value}"' in page  # shown back in the form, not in the address
    assert_named_in_no_url(response, "Сяргей", "Іваноў", "Siarhei", "Ivanou", "Sergei", "MP1234567")


def test_an_empty_search_goes_back_to_the_empty_page(client, caseworker):
    sign_in(client, caseworker)
    posted = client.post(URL, {"q": "  ", "number": ""})
    assert posted.status_code == 303 and posted["Location"] == URL


@pytest.mark.parametrize("params", [{"q": "Siarhei Ivanou"}, {"number": "MP1234567"}, {"q": "Сяргей", "page": "2"}])
def test_a_name_or_number_in_an_old_bookmark_is_not_searched_and_the_page_says_why(client, caseworker, person, params):
    sign_in(client, caseworker)
    response = client.get(URL, params)
    assert response.status_code == 303 and response["Location"] == URL
    page = client.get(URL).content.decode()
    assert "no longer kept in page addresses" in page
    assert reverse("people:person_detail", args=[person.pk]) not in page


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
    first = search(client, {"q": "Aleh"})
    assert first.context["page"].paginator.count == PAGE_SIZE + 2
    assert len(first.context["results"]) == PAGE_SIZE
    links = re.findall(r'href="\?([^"]*page=2)"', first.content.decode())
    assert links and all("search=" in link and "q=" not in link and "Aleh" not in link for link in links)
    second = client.get(URL + "?" + links[0].replace("&amp;", "&"))
    assert len(second.context["results"]) == 2
    assert_named_in_no_url(second, "Aleh", "Алег")
