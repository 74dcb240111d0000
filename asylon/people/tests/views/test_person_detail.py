"""The person page shows each viewer what their clearance reaches, and nothing of other people's cases."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from asylon.cases.models import StatusPeriod
from asylon.people.models import ConsentRecord
from asylon.people.services import consent_record, relationship_add
from tests.factories import sign_in

pytestmark = pytest.mark.django_db


def url(person):
    return reverse("people:person_detail", args=[person.pk])


def test_a_caseworker_sees_identity_service_consent_cases_and_statuses(client, caseworker, person, period, case):
    consent_record(actor=caseworker, person=person, purpose="publication", given_on=datetime.date(2024, 3, 1))
    StatusPeriod.objects.create(
        organisation=case.organisation,
        case=case,
        person=person,
        kind="liberty",
        status="free",
        started_on=datetime.date(2024, 1, 2),
        start_year=2024,
    )
    sign_in(client, caseworker)
    page = client.get(url(person)).content.decode()
    for expected in ("Сяргей", "Іваноў", "MP1234567", "+370 600 12345", "1994", "BY", case.reference, "free"):
        assert expected in page, expected
    assert "publication of the case" in page
    assert reverse("people:consent_withdraw", args=[person.pk, ConsentRecord.objects.get().pk]) in page
    assert reverse("people:person_edit", args=[person.pk]) in page


def test_a_viewer_sees_no_name_and_no_contacts(client, viewer, person, period):
    sign_in(client, viewer)
    response = client.get(url(person))
    page = response.content.decode()
    assert response.status_code == 200
    for secret in ("Сяргей", "Іваноў", "MP1234567", "+370 600 12345", "5448", "Яфрэйтар"):
        assert secret not in page, secret
    assert "1994" in page  # the coarse year is public
    assert reverse("people:person_edit", args=[person.pk]) not in page


def test_a_lawyer_sees_the_unit_a_caseworker_does_not(client, lawyer, caseworker, person, period):
    sign_in(client, lawyer)
    assert "Вайсковая частка 5448" in client.get(url(person)).content.decode()
    sign_in(client, caseworker)
    page = client.get(url(person)).content.decode()
    assert "5448" not in page and "Яфрэйтар" not in page
    assert "2012" in page  # the period itself is shown


def test_a_relative_on_record_is_linked(client, caseworker, person, case):
    from asylon.people.services import person_create

    brother = person_create(actor=caseworker, case=case, given_name="Міхаіл", role="relative")
    relationship_add(actor=caseworker, person=person, kind="sibling", relative=brother, under_pressure=True)
    sign_in(client, caseworker)
    page = client.get(url(person)).content.decode()
    assert url(brother) in page


def test_an_outsider_and_an_analyst_get_404(client, outsider, analyst, person, case):
    case.memberships.create(organisation=case.organisation, user=analyst)
    for user in (outsider, analyst):
        sign_in(client, user)
        assert client.get(url(person)).status_code == 404
