"""Adding and editing events through their form pages: dates with precision, victim, place, sources."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from asylon.accounts.models import Role
from asylon.audit.models import AuditEntry
from asylon.cases.forms.events import event_initial
from asylon.cases.models import Event
from asylon.cases.services.events import event_record
from asylon.evidence.models import Source
from tests.factories import case_with_member, person_on_case, sign_in, staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """Addresses and messages in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


VALID = {
    "event_type": "summons_issued",
    "date_precision": "month",
    "year": "2022",
    "month": "9",
    "country": "BY",
    "violation_status": "likely",
}


def add_url(case):
    return reverse("cases:event_add", args=[case.pk])


def edit_url(event):
    return reverse("cases:event_edit", args=[event.case_id, event.pk])


def case_url(case):
    return reverse("cases:case_detail", args=[case.pk])


@pytest.fixture
def event(case, caseworker):
    return event_record(
        actor=caseworker,
        case=case,
        event_type="declared_national_security_threat",
        date_precision="day",
        occurred_on=datetime.date(2023, 8, 17),
        country="LT",
        perpetrator="state_security_department",
        description="Conclusion without specific accusations",
    )


def test_the_add_form_says_which_inputs_each_precision_needs(client, caseworker, case):
    person_on_case(case, given_name="Алесь", family_name="Тэставы")
    sign_in(client, caseworker)
    response = client.get(add_url(case))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Month only: enter the year and the month" in body
    assert "Year only: enter the year" in body
    assert 'type="radio"' in body and 'name="date_precision"' in body
    assert "Алесь Тэставы" in body  # the victim is chosen among the case's parties, by name


def test_adding_an_event_saves_every_field_redirects_and_audits(client, caseworker, case, organisation):
    person = person_on_case(case)
    source = Source.objects.create(organisation=organisation, title="Court register")
    sign_in(client, caseworker)
    response = client.post(
        add_url(case),
        {
            "event_type": "declared_national_security_threat",
            "date_precision": "day",
            "occurred_on": "2023-08-17",
            "person": str(person.pk),
            "country": "LT",
            "region": "Vilnius",
            "perpetrator": "state_security_department",
            "description": "First line\r\nSecond line",
            "violation_status": "confirmed",
            "alert_safe": "on",
            "sources": [str(source.pk)],
        },
    )
    assert response.status_code == 302 and response["Location"] == case_url(case)
    event = Event.objects.get(case=case)
    assert (event.occurred_on, event.year, event.month) == (datetime.date(2023, 8, 17), 2023, 8)
    assert event.person == person and event.country == "LT" and event.region == "Vilnius"
    assert event.perpetrator is not None and event.perpetrator.code == "state_security_department"
    assert event.description == "First line\nSecond line"
    assert event.alert_safe and not event.consent_to_publish
    assert list(event.sources.all()) == [source]
    assert AuditEntry.objects.filter(action="event.create", target_id=str(event.pk)).exists()


def test_month_precision_keeps_no_day(client, caseworker, case):
    sign_in(client, caseworker)
    assert client.post(add_url(case), VALID).status_code == 302
    event = Event.objects.get(case=case)
    assert (event.date_precision, event.occurred_on, event.year, event.month) == ("month", None, 2022, 9)


def test_another_country_is_typed_as_its_code(client, caseworker, case):
    sign_in(client, caseworker)
    client.post(add_url(case), {**VALID, "country": "", "country_other": "pl"})
    assert Event.objects.get(case=case).country == "PL"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"date_precision": "day", "year": "", "month": ""}, "occurred_on", "A date is required for this precision."),
        ({"date_precision": "approximate", "year": "", "month": ""}, "occurred_on", "A date is required"),
        ({"date_precision": "month", "month": ""}, "month", "The month is required for month precision."),
        ({"date_precision": "year", "year": ""}, "year", "The year is required."),
        ({"date_precision": "year", "year": "1492"}, "year", "1492 is not a plausible year"),
        ({"date_precision": "year", "year": "99999999999"}, "year", "is not a plausible year"),
        (
            {"date_precision": "day", "occurred_on": "2999-01-01", "year": "", "month": ""},
            "occurred_on",
            "This date is in the future.",
        ),
        ({"date_precision": "day", "occurred_on": "2023-02-30"}, "occurred_on", "Enter a valid date."),
        ({"date_precision": "weekly"}, "date_precision", "Select a valid choice."),
        ({"date_precision": "month", "occurred_on": "2021-03-02"}, "year", "This year differs from the date."),
        ({"month": "13"}, "month", "Select a valid choice."),
        ({"country": "Belarus"}, "country", "Select a valid choice."),
        ({"country": "BY", "country_other": "PL"}, "country_other", "not both"),
        ({"country": "", "country_other": "1x"}, "country", "Use a two-letter country code"),
    ],
)
def test_an_invalid_date_or_place_is_shown_on_its_field_and_nothing_is_written(
    client, caseworker, case, data, field, message
):
    sign_in(client, caseworker)
    response = client.post(add_url(case), {**VALID, **data})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert any(message in error for error in errors[field])
    assert escape(message) in response.content.decode()
    assert not Event.objects.exists()
    assert not AuditEntry.objects.filter(action="event.create").exists()


def test_field_errors_are_translated(client, caseworker, case):
    sign_in(client, caseworker)
    with translation.override("ru"):  # /ru/cases/...; the language does not outlive the test
        response = client.post(add_url(case), {**VALID, "date_precision": "weekly"})
        assert add_url(case).startswith("/ru/")
    assert response.status_code == 200
    assert "Выберите корректный вариант" in response.content.decode()  # Django's Russian catalogue
    assert not Event.objects.exists()


def test_a_person_of_another_case_cannot_be_the_victim(client, caseworker, case, organisation):
    stranger = person_on_case(case_with_member(organisation, caseworker))
    sign_in(client, caseworker)
    response = client.post(add_url(case), {**VALID, "person": str(stranger.pk)})
    assert response.status_code == 200 and "person" in response.context["form"].errors
    assert not Event.objects.exists()


def test_htmx_gets_only_the_form_back_and_a_client_redirect_on_success(client, caseworker, case):
    sign_in(client, caseworker)
    invalid = client.post(add_url(case), {**VALID, "month": ""}, HTTP_HX_REQUEST="true")
    assert invalid.status_code == 200
    assert invalid.content.decode().lstrip().startswith("<form")
    assert "<h1>" not in invalid.content.decode()
    valid = client.post(add_url(case), VALID, HTTP_HX_REQUEST="true")
    assert valid["HX-Redirect"] == case_url(case)
    assert Event.objects.filter(case=case).count() == 1


def test_the_edit_form_is_prefilled_and_saves_only_what_changed(client, caseworker, event):
    sign_in(client, caseworker)
    page = client.get(edit_url(event)).content.decode()
    assert "Conclusion without specific accusations" in page
    assert 'value="2023-08-17"' in page
    form = client.get(edit_url(event)).context["form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, "", False, [])}
    data.update({"occurred_on": "2023-08-17", "region": "Kaunas"})
    response = client.post(edit_url(event), data)
    assert response.status_code == 302
    stored = Event.objects.get(pk=event.pk)
    assert stored.region == "Kaunas" and stored.occurred_on == datetime.date(2023, 8, 17)
    entry = AuditEntry.objects.get(action="event.update", target_id=str(event.pk))
    assert entry.changed_fields == ["region"]


def test_changing_the_precision_to_year_drops_the_day(client, caseworker, event):
    sign_in(client, caseworker)
    data = {"event_type": "declared_national_security_threat", "date_precision": "year", "year": "2023"}
    response = client.post(edit_url(event), {**data, "violation_status": "possible"})
    assert response.status_code == 302
    stored = Event.objects.get(pk=event.pk)
    assert (stored.date_precision, stored.occurred_on, stored.year, stored.month) == ("year", None, 2023, None)


def test_the_exact_date_is_prefilled_only_within_the_users_clearance(organisation, case, event):
    viewer = staff(organisation, Role.VIEWER)
    case.memberships.create(organisation=organisation, user=viewer)
    initial = event_initial(viewer, event)
    assert initial["occurred_on"] is None and initial["description"] == ""
    assert initial["event_type"] == "declared_national_security_threat"


def test_an_event_of_another_case_answers_404(client, caseworker, organisation, event):
    other = case_with_member(organisation, caseworker)
    sign_in(client, caseworker)
    assert client.get(reverse("cases:event_edit", args=[other.pk, event.pk])).status_code == 404


def test_an_outsider_gets_404_on_every_page(client, outsider, case, event):
    sign_in(client, outsider)
    assert client.get(add_url(case)).status_code == 404
    assert client.post(add_url(case), VALID).status_code == 404
    assert client.get(edit_url(event)).status_code == 404
    assert client.post(edit_url(event), {**VALID, "date_precision": "year"}).status_code == 404
    assert Event.objects.count() == 1


def test_a_viewer_is_refused_the_forms(client, organisation, case, event):
    viewer = staff(organisation, Role.VIEWER)
    case.memberships.create(organisation=organisation, user=viewer)
    sign_in(client, viewer)
    assert client.get(add_url(case)).status_code == 403
    assert client.post(add_url(case), VALID).status_code == 403
    assert client.get(edit_url(event)).status_code == 403
    assert Event.objects.count() == 1


# A sample of the Big List of Naughty Strings (tests/data/blns.json): SQL, markup, template syntax,
# right-to-left and zero-width characters, emoji, combining marks, format strings.
NAUGHTY = [
    "1;DROP TABLE users",
    "1'; DROP TABLE users-- 1",
    "<script>alert(123)</script>",
    "</textarea><script>alert(123)</script>",
    "<img src=x onerror=alert(123) />",
    '{{ "".__class__.__mro__[2].__subclasses__()[40]("/etc/passwd").read() }}',
    "%s%s%s%s%s",
    "\u202btest\u202b",
    "test\u2060test\u202b",
    "\u0645\u064f\u0646\u064e\u0627\u0642\u064e\u0634\u064e\u0629\u064f \u0633\u064f\u0628\u064f\u0644\u0650",
    "\U0001f468\u200d\U0001f9b0 \U0001f468\U0001f3ff\u200d\U0001f9b0",
    "\u0321\u0353\u031e\u0345I\u0317\u0318\u0326\u035dn\u0347\u0347\u0359v\u032e\u032bok\u0332",
    "\u7530\u4e2d\u3055\u3093\u306b\u3042\u3052\u3066\u4e0b\u3055\u3044",
]


@pytest.mark.sqlite_only
@pytest.mark.parametrize("text", NAUGHTY)
def test_a_naughty_description_round_trips_and_is_escaped(client, caseworker, case, text):
    sign_in(client, caseworker)
    assert client.post(add_url(case), {**VALID, "description": text}).status_code == 302
    event = Event.objects.get(case=case)
    assert event.description == text
    for page in (client.get(case_url(case)), client.get(edit_url(event))):
        body = page.content.decode()
        assert escape(text) in body
        if "<" in text:
            assert text not in body


def test_the_case_page_links_to_the_event_forms_only_for_writers(client, caseworker, organisation, case, event):
    sign_in(client, caseworker)
    page = client.get(case_url(case)).content.decode()
    assert add_url(case) in page and edit_url(event) in page
    viewer = staff(organisation, Role.VIEWER)
    case.memberships.create(organisation=organisation, user=viewer)
    sign_in(client, viewer)
    page = client.get(case_url(case)).content.decode()
    assert add_url(case) not in page and edit_url(event) not in page
