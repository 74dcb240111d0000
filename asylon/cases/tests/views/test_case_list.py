"""The case list: filters, search by reference and by name in any script, sorting, paging, htmx, bad input.

Searches are posted and come back sealed (`?search=<token>`): no name ever appears in a URL."""

from __future__ import annotations

import datetime
import re
import uuid
from urllib.parse import parse_qs, unquote_plus, urlsplit

import pytest
import time_machine
from django.utils import timezone

from asylon.accounts.models import Role
from asylon.audit.models import AuditEntry
from asylon.cases.models import CaseMembership, Deadline
from asylon.cases.services.decisions import decision_record
from asylon.cases.services.events import event_record
from asylon.common.models import DatePrecision
from asylon.common.sealed_search import seal_search
from asylon.people.services import person_create
from tests.factories import CaseFactory, case_with_member, sign_in, staff
from tests.naughty import naughty_strings

pytestmark = pytest.mark.django_db
URL = "/cases/"


def listed(response):
    """References of the cases on the page, in order."""
    return [row.case.reference for row in response.context["rows"]]


def search(client, data, **kwargs):
    """Post the filter form as the browser does without JavaScript and follow to the sealed URL."""
    return client.post(URL, data, follow=True, **kwargs)


LINK = re.compile(r'(?:href|hx-get|hx-post|hx-push-url|action)="([^"]*)"')


def urls_of(response):
    """Every URL a search exposed: redirects followed, Location, HX-Push-Url, links and form targets."""
    urls = [url for url, _status in getattr(response, "redirect_chain", [])]
    urls += [response.headers.get(name, "") for name in ("Location", "HX-Push-Url", "HX-Redirect")]
    urls += LINK.findall(response.content.decode())
    return [unquote_plus(url).casefold() for url in urls if url]


def assert_named_in_no_url(response, *texts):
    for url in urls_of(response):
        for text in texts:
            assert text.casefold() not in url, url


@pytest.fixture
def two_cases(organisation, caseworker, lawyer, case):
    """`case` (a client Сяргей Тэставы, an event in BY, a refusal decision) and a bare second case."""
    person_create(actor=caseworker, case=case, given_name="Сяргей", family_name="Тэставы")
    event_record(
        actor=caseworker,
        case=case,
        event_type="summons_issued",
        date_precision=DatePrecision.MONTH,
        year=2022,
        month=10,
        country="BY",
    )
    decision_record(
        actor=caseworker,
        case=case,
        decision_type="residence_permit_temporary",
        decision_maker="migration_department",
        outcome="refuse",
        grounds=["national_security_threat_unspecified"],
        decided_on=datetime.date(2024, 3, 1),
        served_on=datetime.date(2024, 3, 4),
    )
    other = case_with_member(organisation, caseworker, lawyer)
    other.reference = "ZZ-0001"
    other.lead_assignee = lawyer
    other.save()
    return case, other


def test_a_member_sees_only_their_cases_with_client_names(client, caseworker, two_cases, organisation):
    CaseFactory(organisation=organisation, reference="NOT-MINE")
    sign_in(client, caseworker)
    response = client.get(URL)
    assert response.status_code == 200
    assert sorted(listed(response)) == sorted(c.reference for c in two_cases)
    assert "Сяргей Тэставы" in response.content.decode()


def test_a_viewer_sees_the_case_but_no_name(client, organisation, two_cases):
    viewer = staff(organisation, Role.VIEWER)
    CaseMembership.objects.create(organisation=organisation, case=two_cases[0], user=viewer)
    sign_in(client, viewer)
    body = client.get(URL).content.decode()
    assert two_cases[0].reference in body
    assert "Сяргей" not in body and "Тэставы" not in body
    assert "name withheld" in body


def test_an_analyst_sees_no_case(client, analyst, two_cases):
    sign_in(client, analyst)
    response = client.get(URL)
    assert response.status_code == 200 and listed(response) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "open"}, {"first", "second"}),
        ({"status": "closed"}, set()),
        ({"event_type": "summons_issued"}, {"first"}),
        ({"country": "by"}, {"first"}),
        ({"country": "LT"}, set()),
        ({"decision_type": "residence_permit_temporary"}, {"first"}),
        ({"grounds": "national_security_threat_unspecified"}, {"first"}),
        ({"deadline": "30"}, set()),
        ({"deadline": "overdue"}, {"first"}),  # the appeal deadline of 2024 has passed
    ],
)
def test_filters(client, caseworker, two_cases, query, expected):
    first, second = two_cases
    names = {first.reference: "first", second.reference: "second"}
    sign_in(client, caseworker)
    response = client.get(URL, query)
    assert response.status_code == 200
    assert {names[reference] for reference in listed(response)} == expected


def test_assignee_filter_and_deadline_window(client, caseworker, lawyer, two_cases):
    second = two_cases[1]
    Deadline.objects.create(
        organisation=second.organisation,
        case=second,
        kind="reply",
        due_on=timezone.localdate() + datetime.timedelta(days=3),
    )
    sign_in(client, caseworker)
    assert listed(client.get(URL, {"assignee": str(lawyer.pk)})) == [second.reference]
    assert listed(client.get(URL, {"deadline": "7"})) == [second.reference]


@pytest.mark.parametrize("text", ["Siarhei Testavy", "Sergei", "сяргей", "Сергей"])
def test_search_finds_a_name_in_another_script(client, caseworker, two_cases, text):
    sign_in(client, caseworker)
    response = search(client, {"q": text})
    assert listed(response) == [two_cases[0].reference]
    assert_named_in_no_url(response, text)


def test_search_by_reference_exact_or_prefix_ignoring_case(client, caseworker, two_cases):
    sign_in(client, caseworker)
    assert listed(search(client, {"q": "zz-0001"})) == ["ZZ-0001"]
    assert listed(search(client, {"q": "zz-"})) == ["ZZ-0001"]
    assert listed(search(client, {"q": "nothing like it"})) == []


@pytest.mark.parametrize("text", ["Сяргей Тэставы", "Siarhei Testavy"])
def test_a_posted_search_redirects_to_a_sealed_url_that_names_no_one(client, caseworker, two_cases, text):
    sign_in(client, caseworker)
    posted = client.post(URL, {"q": f"  {text} ", "status": "open", "sort": "reference"})
    assert posted.status_code == 303
    location = posted["Location"]
    query = parse_qs(urlsplit(location).query)
    assert urlsplit(location).path == URL and set(query) == {"search", "status", "sort"}
    assert_named_in_no_url(posted, text, "Сяргей", "Siarhei")
    page = client.get(location)
    assert listed(page) == [two_cases[0].reference]
    body = page.content.decode()
    assert f'value="{text}"' in body  # shown back in the search box, not in the address
    assert_named_in_no_url(page, text, "Сяргей", "Тэставы", "Siarhei", "Testavy")
    assert "q=" not in "".join(urls_of(page))


def test_htmx_search_returns_the_results_and_pushes_the_sealed_url(client, caseworker, two_cases):
    sign_in(client, caseworker)
    response = client.post(URL, {"q": "Сяргей", "status": "open"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200 and two_cases[0].reference in body and two_cases[1].reference not in body
    assert 'id="case-results"' in body and "<h1>" not in body
    pushed = response["HX-Push-Url"]
    assert urlsplit(pushed).path == URL and "search" in parse_qs(urlsplit(pushed).query)
    assert_named_in_no_url(response, "Сяргей", "Тэставы", "Siarhei")
    assert listed(client.get(pushed)) == [two_cases[0].reference]


def test_an_empty_search_keeps_only_the_filters(client, caseworker, two_cases):
    sign_in(client, caseworker)
    posted = client.post(URL, {"q": "   ", "status": "open", "page": "3"})
    assert posted.status_code == 303 and posted["Location"] == f"{URL}?status=open"


def test_a_name_in_an_old_bookmark_is_not_searched_and_the_page_says_why(client, caseworker, two_cases):
    sign_in(client, caseworker)
    response = client.get(URL, {"q": "Siarhei", "status": "open", "page": "2"})
    assert response.status_code == 303 and response["Location"] == f"{URL}?status=open"
    page = client.get(response["Location"])
    assert "no longer kept in page addresses" in page.content.decode()
    assert sorted(listed(page)) == sorted(c.reference for c in two_cases)  # no search was run
    htmx = client.get(URL, {"q": "Siarhei"}, headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"] == URL


def test_another_users_token_is_ignored_with_a_calm_message(client, caseworker, lawyer, two_cases):
    token = seal_search(user_id=lawyer.pk, scope="cases", terms={"q": "Siarhei"})
    sign_in(client, caseworker)
    response = client.get(URL, {"search": token, "sort": "reference"}, follow=True)
    assert response.status_code == 200 and response.redirect_chain[-1][0] == f"{URL}?sort=reference"
    assert "This search has expired; search again." in response.content.decode()
    assert len(listed(response)) == 2


def test_an_expired_search_is_ignored_with_a_calm_message(client, caseworker, two_cases):
    with time_machine.travel(timezone.now() - datetime.timedelta(hours=13)):
        token = seal_search(user_id=caseworker.pk, scope="cases", terms={"q": "Siarhei"})
    sign_in(client, caseworker)
    response = client.get(URL, {"search": token}, follow=True)
    assert response.status_code == 200 and response.redirect_chain[-1][0] == URL
    assert "This search has expired; search again." in response.content.decode()
    assert len(listed(response)) == 2


def test_paging_a_search_carries_the_token_never_the_text(client, org_admin, organisation):
    for number in range(51):
        CaseFactory(organisation=organisation, reference=f"P-{number:03d}")
    sign_in(client, org_admin)
    first = search(client, {"q": "p-", "sort": "reference"})
    assert len(listed(first)) == 50
    links = re.findall(r'href="\?([^"]*page=2)"', first.content.decode())
    assert links and all("search=" in link and "q=" not in link for link in links)
    second = client.get(URL + "?" + links[0].replace("&amp;", "&"))
    assert listed(second) == ["P-050"]


def test_sorting(client, caseworker, two_cases):
    first, second = two_cases
    first.risk, second.risk = "low", "critical"
    first.save()
    second.save()
    sign_in(client, caseworker)
    assert listed(client.get(URL, {"sort": "-risk"})) == [second.reference, first.reference]
    assert listed(client.get(URL, {"sort": "reference"})) == sorted([first.reference, second.reference])
    assert listed(client.get(URL, {"sort": "deadline"})) == [first.reference, second.reference]


def test_pages_of_fifty(client, org_admin, organisation):
    for number in range(51):
        CaseFactory(organisation=organisation, reference=f"P-{number:03d}")
    sign_in(client, org_admin)
    assert len(listed(client.get(URL, {"sort": "reference"}))) == 50
    second = client.get(URL, {"sort": "reference", "page": "2"})
    assert listed(second) == ["P-050"]
    assert "sort=reference" in second.content.decode()


def test_htmx_gets_only_the_results(client, caseworker, two_cases):
    sign_in(client, caseworker)
    response = client.get(URL, {"status": "open"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="case-results"' in body and "<h1>" not in body and "<form" not in body


def test_the_page_shown_is_in_the_read_audit(client, caseworker, two_cases):
    sign_in(client, caseworker)
    search(client, {"q": "Siarhei"})
    details = AuditEntry.objects.filter(action="read").latest("created_at").details
    assert details["cases.case"] == [str(two_cases[0].pk)]
    assert len(details["people.person"]) == 1


@pytest.mark.parametrize(
    "query",
    [
        {"status": "nonsense"},
        {"event_type": "horoscope"},
        {"grounds": "bad_vibes"},
        {"assignee": "not-a-uuid"},
        {"country": "Narnia"},
        {"deadline": "9999"},
        {"sort": "DROP TABLE"},
        {"page": "abc"},
        {"page": "-1"},
        {"page": "99999999999999999999"},
    ],
)
def test_bad_values_never_fail(client, caseworker, two_cases, query):
    sign_in(client, caseworker)
    response = client.get(URL, query)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "data",
    [
        {"q": "x" * 5000},
        {"q": "\x00"},
        {"q": "%_\\"},
        {"q": "   "},
        {"q": "Siarhei", "status": "nonsense", "country": "Narnia", "page": "abc"},
        {"q": "Siarhei", "search": "forged", "number": "MP1"},
    ],
)
def test_bad_searches_never_fail(client, caseworker, two_cases, data):
    sign_in(client, caseworker)
    assert search(client, data).status_code == 200
    assert client.post(URL, data, headers={"HX-Request": "true"}).status_code == 200


@pytest.mark.parametrize(
    "token",
    ["", "x", "not base64!", "A" * 5000, "Сяргей", "\x00", "%00", "another user's"],
)
def test_bad_tokens_never_fail(client, caseworker, two_cases, token):
    if token == "another user's":
        token = seal_search(user_id=uuid.uuid4(), scope="cases", terms={"q": "Siarhei"})
    sign_in(client, caseworker)
    response = client.get(URL, {"search": token, "status": "open"}, follow=True)
    assert response.status_code == 200 and "This search has expired" in response.content.decode()
    assert client.get(URL, {"search": token}, headers={"HX-Request": "true"}).status_code == 200


@pytest.mark.sqlite_only
def test_naughty_strings_never_fail(client, caseworker, two_cases):
    strings = naughty_strings()
    sign_in(client, caseworker)
    for text in strings[::7]:
        assert client.post(URL, {"q": text, "country": text[:2]}, follow=True).status_code == 200
        assert client.get(URL, {"search": text}, follow=True).status_code == 200


def test_htmx_filters_by_vocabulary_too(client, caseworker, two_cases):
    sign_in(client, caseworker)
    htmx = {"HX-Request": "true"}
    body = client.get(URL, {"event_type": "summons_issued"}, headers=htmx).content.decode()
    assert two_cases[0].reference in body and two_cases[1].reference not in body
    response = client.get(URL, {"event_type": "horoscope"}, headers=htmx)
    assert response.status_code == 200 and "not understood" in response.content.decode()
