"""Adding and editing decisions through their form pages; the deadlines they set show on the case page."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from asylon.accounts.models import Role
from asylon.audit.models import AuditEntry
from asylon.cases.models import Deadline, DeadlineStatus, Decision
from asylon.cases.services.decisions import decision_record
from asylon.cases.services.events import event_record
from tests.factories import case_with_member, sign_in, staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """Addresses and messages in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


# A temporary residence decision of the Migration Department has a legal rule (asylon/vocab/data):
# appeal within 14 days of service.
VALID = {
    "decision_type": "residence_permit_temporary",
    "decision_maker": "migration_department",
    "outcome": "refuse",
    "grounds": ["national_security_threat_unspecified", "past_compulsory_military_service"],
    "decided_on": "2024-03-01",
    "served_on": "2024-03-04",
    "reference_number": "No. 12/3-45",
}
DUE = datetime.date(2024, 3, 18)


def add_url(case):
    return reverse("cases:decision_add", args=[case.pk])


def edit_url(decision):
    return reverse("cases:decision_edit", args=[decision.case_id, decision.pk])


def case_url(case):
    return reverse("cases:case_detail", args=[case.pk])


@pytest.fixture
def decision(case, caseworker):
    return decision_record(
        actor=caseworker,
        case=case,
        decision_type="residence_permit_temporary",
        decision_maker="migration_department",
        served_on=datetime.date(2024, 3, 4),
        decided_on=datetime.date(2024, 3, 1),
    )


def test_the_add_form_offers_the_vocabularies(client, caseworker, case):
    sign_in(client, caseworker)
    response = client.get(add_url(case))
    body = response.content.decode()
    assert response.status_code == 200
    for code in ("residence_permit_temporary", "migration_department", "refuse", "past_compulsory_military_service"):
        assert f'value="{code}"' in body


def test_a_decision_with_a_served_date_creates_its_deadline_shown_on_the_case_page(client, caseworker, case):
    sign_in(client, caseworker)
    response = client.post(add_url(case), VALID)
    assert response.status_code == 302 and response["Location"] == case_url(case)

    decision = Decision.objects.get(case=case)
    assert decision.reference_number == "No. 12/3-45"
    assert sorted(decision.grounds.values_list("code", flat=True)) == sorted(VALID["grounds"])
    deadline = Deadline.objects.get(decision=decision)
    assert (deadline.kind, deadline.due_on, deadline.status) == ("appeal", DUE, DeadlineStatus.OPEN)
    assert AuditEntry.objects.filter(action="decision.create", target_id=str(decision.pk)).exists()

    page = client.get(response["Location"])
    assert date_format(DUE, "DATE_FORMAT") in page.content.decode()


def test_a_decision_can_belong_to_an_event_of_the_case(client, caseworker, case):
    event = event_record(
        actor=caseworker, case=case, event_type="temp_residence_refused", date_precision="month", year=2024, month=3
    )
    sign_in(client, caseworker)
    assert "(2024-03)" in client.get(add_url(case)).content.decode()
    assert client.post(add_url(case), {**VALID, "event": str(event.pk)}).status_code == 302
    assert Decision.objects.get(case=case).event == event


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"served_on": "2024-02-01"}, "served_on", "A decision cannot be served before it was taken."),
        ({"served_on": "2999-01-01", "decided_on": ""}, "served_on", "This date is in the future."),
        ({"decision_type": "horoscope"}, "decision_type", "Select a valid choice."),
        ({"decision_maker": ""}, "decision_maker", "This field is required."),
        ({"grounds": ["bad_vibes"]}, "grounds", "Select a valid choice."),
        ({"reference_number": "x" * 101}, "reference_number", "at most 100 characters"),
    ],
)
def test_an_invalid_decision_is_shown_on_its_field_and_nothing_is_written(
    client, caseworker, case, data, field, message
):
    sign_in(client, caseworker)
    response = client.post(add_url(case), {**VALID, **data})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and any(message in error for error in errors[field]), errors
    assert not Decision.objects.exists()
    assert not Deadline.objects.exists()


def test_field_errors_are_translated(client, caseworker, case):
    sign_in(client, caseworker)
    with translation.override("ru"):  # /ru/cases/...; the language does not outlive the test
        response = client.post(add_url(case), {**VALID, "decision_maker": ""})
        assert add_url(case).startswith("/ru/")
    assert "Обязательное поле." in response.content.decode()
    assert not Decision.objects.exists()


def test_htmx_gets_only_the_form_back_and_a_client_redirect_on_success(client, caseworker, case):
    sign_in(client, caseworker)
    invalid = client.post(add_url(case), {**VALID, "served_on": "2024-02-01"}, HTTP_HX_REQUEST="true")
    assert invalid.content.decode().lstrip().startswith("<form")
    valid = client.post(add_url(case), VALID, HTTP_HX_REQUEST="true")
    assert valid["HX-Redirect"] == case_url(case)


def test_editing_the_served_date_moves_the_deadline_and_audits_only_that(client, caseworker, decision):
    sign_in(client, caseworker)
    form = client.get(edit_url(decision)).context["form"]
    assert form.initial["served_on"] == datetime.date(2024, 3, 4)
    data = {
        "decision_type": "residence_permit_temporary",
        "decision_maker": "migration_department",
        "decided_on": "2024-03-01",
        "served_on": "2024-03-08",
    }
    response = client.post(edit_url(decision), data)
    assert response.status_code == 302
    assert Deadline.objects.get(decision=decision).due_on == datetime.date(2024, 3, 22)
    entry = AuditEntry.objects.get(action="decision.update", target_id=str(decision.pk))
    assert entry.changed_fields == ["served_on"]


def test_a_served_date_on_record_cannot_be_emptied_silently(client, caseworker, decision):
    sign_in(client, caseworker)
    data = {"decision_type": "residence_permit_temporary", "decision_maker": "migration_department"}
    response = client.post(edit_url(decision), {**data, "decided_on": "2024-03-01", "served_on": ""})
    assert response.status_code == 200 and "served_on" in response.context["form"].errors
    assert Decision.objects.get(pk=decision.pk).served_on == datetime.date(2024, 3, 4)


def test_an_event_already_recording_another_decision_is_not_offered(client, caseworker, case, decision):
    event = event_record(
        actor=caseworker, case=case, event_type="temp_residence_refused", date_precision="year", year=2024
    )
    decision_record(
        actor=caseworker,
        case=case,
        decision_type="visa",
        decision_maker="migration_department",
        served_on=None,
        event=event,
    )
    sign_in(client, caseworker)
    response = client.post(add_url(case), {**VALID, "event": str(event.pk)})
    assert "event" in response.context["form"].errors
    assert Decision.objects.count() == 2


def test_a_decision_of_another_case_answers_404(client, caseworker, organisation, decision):
    other = case_with_member(organisation, caseworker)
    sign_in(client, caseworker)
    assert client.get(reverse("cases:decision_edit", args=[other.pk, decision.pk])).status_code == 404


def test_an_outsider_gets_404_on_every_page(client, outsider, case, decision):
    sign_in(client, outsider)
    assert client.get(add_url(case)).status_code == 404
    assert client.post(add_url(case), VALID).status_code == 404
    assert client.get(edit_url(decision)).status_code == 404
    assert client.post(edit_url(decision), VALID).status_code == 404
    assert Decision.objects.count() == 1


def test_a_viewer_is_refused_the_forms(client, organisation, case, decision):
    viewer = staff(organisation, Role.VIEWER)
    case.memberships.create(organisation=organisation, user=viewer)
    sign_in(client, viewer)
    assert client.get(add_url(case)).status_code == 403
    assert client.post(add_url(case), VALID).status_code == 403
    assert client.get(edit_url(decision)).status_code == 403
    assert Decision.objects.count() == 1


def test_the_case_page_links_to_the_decision_forms_only_for_writers(client, caseworker, organisation, case, decision):
    sign_in(client, caseworker)
    page = client.get(case_url(case)).content.decode()
    assert add_url(case) in page and edit_url(decision) in page
    viewer = staff(organisation, Role.VIEWER)
    case.memberships.create(organisation=organisation, user=viewer)
    sign_in(client, viewer)
    page = client.get(case_url(case)).content.decode()
    assert add_url(case) not in page and edit_url(decision) not in page
