"""Proceeding and hearing form pages: lawyers record, caseworkers are refused, outsiders see nothing."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from asylon.audit.models import AuditEntry
from asylon.cases.models import Hearing, Proceeding
from asylon.cases.services.decisions import decision_record
from asylon.cases.services.proceedings import proceeding_record
from tests.factories import case_with_member, sign_in

pytestmark = pytest.mark.django_db

VALID = {"tier": "appeal_tier1", "court": "regional_admin_court", "lodged_on": "2024-03-15", "court_reference": "A-1"}


def a_proceeding(case, lawyer):
    return proceeding_record(
        actor=lawyer, case=case, tier="appeal_tier1", court="regional_admin_court", lodged_on=datetime.date(2024, 3, 1)
    )


def test_the_add_page_offers_courts_and_the_cases_decisions(client, case, lawyer):
    decision_record(
        actor=lawyer,
        case=case,
        decision_type="asylum",
        decision_maker="migration_department",
        served_on=datetime.date(2024, 3, 4),
    )
    sign_in(client, lawyer)
    response = client.get(reverse("cases:proceeding_add", args=[case.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="regional_admin_court"' in page and 'name="decision"' in page
    assert "2024-03" in page  # the decision named by its clear month, not its exact date


def test_a_lawyer_adds_a_proceeding_and_is_sent_to_the_case(client, case, lawyer):
    sign_in(client, lawyer)
    response = client.post(reverse("cases:proceeding_add", args=[case.pk]), VALID)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:case_detail", args=[case.pk])
    proceeding = Proceeding.objects.get(case=case)
    assert (proceeding.court.code, proceeding.lodged_on) == ("regional_admin_court", datetime.date(2024, 3, 15))
    assert AuditEntry.objects.filter(action="proceeding.create", target_id=str(proceeding.pk)).exists()


def test_htmx_gets_the_form_back_with_errors_then_a_client_redirect(client, case, lawyer):
    sign_in(client, lawyer)
    url = reverse("cases:proceeding_add", args=[case.pk])
    invalid = client.post(url, {**VALID, "court": "oracle"}, HTTP_HX_REQUEST="true")
    assert invalid.status_code == 200
    assert invalid.content.decode().lstrip().startswith("<form")
    assert not Proceeding.objects.exists()
    valid = client.post(url, VALID, HTTP_HX_REQUEST="true")
    assert valid["HX-Redirect"] == reverse("cases:case_detail", args=[case.pk])


def test_a_service_error_shows_on_its_field_and_nothing_changes(client, case, lawyer):
    proceeding = a_proceeding(case, lawyer)
    sign_in(client, lawyer)
    url = reverse("cases:proceeding_edit", args=[case.pk, proceeding.pk])
    response = client.post(url, {**VALID, "decided_year": "2020"})
    assert response.status_code == 200
    assert "A proceeding cannot be decided before it was lodged." in response.content.decode()
    assert Proceeding.objects.get(pk=proceeding.pk).decided_year is None


def test_the_edit_page_shows_the_proceeding_and_saves_the_outcome(client, case, lawyer):
    proceeding = a_proceeding(case, lawyer)
    sign_in(client, lawyer)
    url = reverse("cases:proceeding_edit", args=[case.pk, proceeding.pk])
    assert 'value="2024-03-01"' in client.get(url).content.decode()
    response = client.post(url, {**VALID, "outcome": "upheld", "decided_year": "2024"})
    assert response.status_code == 302
    stored = Proceeding.objects.get(pk=proceeding.pk)
    assert (stored.outcome.code, stored.decided_year, stored.court_reference) == ("upheld", 2024, "A-1")


def test_a_hearing_is_added_to_a_proceeding(client, case, lawyer):
    proceeding = a_proceeding(case, lawyer)
    sign_in(client, lawyer)
    url = reverse("cases:hearing_add", args=[case.pk, proceeding.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"scheduled_for": "2024-05-06T10:30", "notes": "Interpreter booked"})
    assert response.status_code == 302
    hearing = Hearing.objects.get(proceeding=proceeding)
    assert hearing.notes == "Interpreter booked"
    for nonsense in ("not a date", "0001-01-01T00:30", "9999-12-31T23:59"):
        invalid = client.post(url, {"scheduled_for": nonsense})
        assert invalid.status_code == 200 and Hearing.objects.count() == 1


def test_a_caseworker_is_refused_and_an_outsider_sees_nothing(client, case, lawyer, caseworker, outsider):
    proceeding = a_proceeding(case, lawyer)
    sign_in(client, caseworker)
    assert client.get(reverse("cases:proceeding_add", args=[case.pk])).status_code == 403
    assert client.post(reverse("cases:proceeding_add", args=[case.pk]), VALID).status_code == 403
    sign_in(client, outsider)
    for url in (
        reverse("cases:proceeding_add", args=[case.pk]),
        reverse("cases:proceeding_edit", args=[case.pk, proceeding.pk]),
        reverse("cases:hearing_add", args=[case.pk, proceeding.pk]),
    ):
        assert client.get(url).status_code == 404
    assert Proceeding.objects.count() == 1


def test_a_proceeding_of_another_case_is_not_found_under_this_one(client, case, lawyer, organisation):
    other = case_with_member(organisation, lawyer)
    proceeding = a_proceeding(other, lawyer)
    sign_in(client, lawyer)
    assert client.get(reverse("cases:proceeding_edit", args=[case.pk, proceeding.pk])).status_code == 404
    assert client.get(reverse("cases:hearing_add", args=[case.pk, proceeding.pk])).status_code == 404


def test_the_case_page_links_proceedings_for_lawyers_only(client, case, lawyer, caseworker):
    proceeding = a_proceeding(case, lawyer)
    add = reverse("cases:proceeding_add", args=[case.pk])
    edit = reverse("cases:proceeding_edit", args=[case.pk, proceeding.pk])
    hearing = reverse("cases:hearing_add", args=[case.pk, proceeding.pk])
    sign_in(client, lawyer)
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert add in page and edit in page and hearing in page
    sign_in(client, caseworker)
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert add not in page and edit not in page and hearing not in page
    assert reverse("cases:intervention_add", args=[case.pk]) in page
