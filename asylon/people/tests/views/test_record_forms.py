"""Service periods, relatives and consent through their form pages."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from asylon.people.models import ConsentRecord, MilitaryServicePeriod, Relationship
from asylon.people.services import consent_record, relationship_add
from tests.factories import case_with_member, person_on_case, sign_in

pytestmark = pytest.mark.django_db


def test_caseworker_adds_service_without_the_restricted_fields(client, caseworker, person):
    sign_in(client, caseworker)
    url = reverse("people:service_add", args=[person.pk])
    page = client.get(url).content.decode()
    assert 'name="unit"' not in page and 'name="start_year"' in page
    response = client.post(url, {"service_type": "cadet_school", "start_year": "2008", "end_year": "2010", "unit": "X"})
    assert response.status_code == 302
    period = MilitaryServicePeriod.objects.get()
    assert (period.service_type, period.start_year, period.unit or "") == ("cadet_school", 2008, "")


def test_caseworker_edit_never_sees_nor_blanks_the_unit(client, caseworker, person, period):
    sign_in(client, caseworker)
    url = reverse("people:service_edit", args=[person.pk, period.pk])
    page = client.get(url).content.decode()
    assert "5448" not in page and 'name="unit"' not in page
    response = client.post(url, {"service_type": "conscript", "start_year": "2012", "end_year": "2013", "unit": ""})
    assert response.status_code == 302
    period.refresh_from_db()
    assert (period.end_year, period.unit, period.rank) == (2013, "Вайсковая частка 5448", "Яфрэйтар")


def test_lawyer_edits_the_unit(client, lawyer, person, period):
    sign_in(client, lawyer)
    url = reverse("people:service_edit", args=[person.pk, period.pk])
    assert "Вайсковая частка 5448" in client.get(url).content.decode()
    client.post(url, {"service_type": "conscript", "start_year": "2012", "unit": "В/ч 1", "rank": "Яфрэйтар"})
    period.refresh_from_db()
    assert period.unit == "В/ч 1"


def test_invalid_years_show_an_error_and_change_nothing(client, lawyer, person, period):
    sign_in(client, lawyer)
    url = reverse("people:service_edit", args=[person.pk, period.pk])
    response = client.post(url, {"service_type": "conscript", "start_year": "2012", "end_year": "2001"})
    assert "cannot end before it started" in response.content.decode()
    period.refresh_from_db()
    assert period.end_year is None


def test_a_period_under_another_person_answers_404(client, caseworker, person, period, case):
    other = person_on_case(case)
    sign_in(client, caseworker)
    assert client.get(reverse("people:service_edit", args=[other.pk, period.pk])).status_code == 404


def test_relative_added_and_edited(client, caseworker, person, case):
    sister = person_on_case(case, given_name="Ганна")
    sign_in(client, caseworker)
    add = reverse("people:relationship_add", args=[person.pk])
    assert "Ганна" in client.get(add).content.decode()
    response = client.post(add, {"kind": "sibling", "relative": str(sister.pk), "in_security_structures": "on"})
    assert response.status_code == 302
    relationship = Relationship.objects.get()
    assert (relationship.relative, relationship.in_security_structures) == (sister, True)
    edit = reverse("people:relationship_edit", args=[person.pk, relationship.pk])
    client.post(edit, {"kind": "sibling", "relative": str(sister.pk), "description": "Lives in Minsk"})
    relationship.refresh_from_db()
    assert (relationship.description, relationship.in_security_structures) == ("Lives in Minsk", False)


def test_a_relative_from_another_case_cannot_be_chosen(client, caseworker, person, organisation):
    stranger = person_on_case(case_with_member(organisation))
    sign_in(client, caseworker)
    response = client.post(
        reverse("people:relationship_add", args=[person.pk]), {"kind": "sibling", "relative": str(stranger.pk)}
    )
    assert response.status_code == 200
    assert not Relationship.objects.exists()


def test_another_persons_relationship_answers_404(client, caseworker, person, case):
    other = person_on_case(case)
    relationship = relationship_add(actor=caseworker, person=other, kind="parent")
    sign_in(client, caseworker)
    assert client.get(reverse("people:relationship_edit", args=[person.pk, relationship.pk])).status_code == 404


def test_consent_recorded_and_withdrawn(client, caseworker, person):
    sign_in(client, caseworker)
    response = client.post(
        reverse("people:consent_add", args=[person.pk]), {"purpose": "alert", "given_on": "2024-05-01"}
    )
    assert response.status_code == 302
    consent = ConsentRecord.objects.get()
    assert (consent.purpose, consent.recorded_by) == ("alert", caseworker)
    withdraw = reverse("people:consent_withdraw", args=[person.pk, consent.pk])
    assert client.get(withdraw).status_code == 200
    too_early = client.post(withdraw, {"withdrawn_on": "2024-04-01"})
    assert "before it was given" in too_early.content.decode()
    client.post(withdraw, {"withdrawn_on": "2024-06-01"})
    consent.refresh_from_db()
    assert consent.withdrawn_on == datetime.date(2024, 6, 1)


def test_a_viewer_cannot_record_consent(client, viewer, caseworker, person):
    consent = consent_record(actor=caseworker, person=person, purpose="casework", given_on=datetime.date(2024, 1, 1))
    sign_in(client, viewer)
    assert client.post(reverse("people:consent_add", args=[person.pk]), {"purpose": "alert"}).status_code == 403
    assert (
        client.post(
            reverse("people:consent_withdraw", args=[person.pk, consent.pk]), {"withdrawn_on": "2024-02-01"}
        ).status_code
        == 403
    )
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_htmx_consent_form_partial_and_client_redirect(client, caseworker, person):
    sign_in(client, caseworker)
    url = reverse("people:consent_add", args=[person.pk])
    invalid = client.post(url, {"purpose": "alert", "given_on": "2999-01-01"}, HTTP_HX_REQUEST="true")
    assert invalid.content.decode().lstrip().startswith("<form")
    assert "This date is in the future." in invalid.content.decode()
    assert not ConsentRecord.objects.exists()
    valid = client.post(url, {"purpose": "alert", "given_on": "2024-01-01"}, HTTP_HX_REQUEST="true")
    assert valid["HX-Redirect"].startswith(reverse("people:person_detail", args=[person.pk]))


@pytest.mark.parametrize("name", ["service_add", "relationship_add", "consent_add", "person_edit"])
def test_an_outsider_gets_404_on_every_form(client, outsider, person, name):
    sign_in(client, outsider)
    assert client.get(reverse(f"people:{name}", args=[person.pk])).status_code == 404
    assert client.post(reverse(f"people:{name}", args=[person.pk]), {}).status_code == 404


def test_editing_keeps_a_relative_the_editor_cannot_open(client, caseworker, org_admin, person, organisation):
    sister = person_on_case(case_with_member(organisation), given_name="Тайная")
    relationship = relationship_add(actor=org_admin, person=person, kind="sibling", relative=sister)
    sign_in(client, caseworker)
    url = reverse("people:relationship_edit", args=[person.pk, relationship.pk])
    page = client.get(url).content.decode()
    assert "Тайная" not in page
    response = client.post(url, {"kind": "sibling", "relative": str(sister.pk), "under_pressure": "on"})
    assert response.status_code == 302
    relationship.refresh_from_db()
    assert (relationship.relative, relationship.under_pressure) == (sister, True)
