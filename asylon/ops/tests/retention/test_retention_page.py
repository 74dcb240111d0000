"""The retention page of the admin console: what the schedule will erase, and erasing it now (re-authenticated,
confirmed, audited under the admin's name); nobody else opens it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from asylon.audit.models import AuditEntry
from asylon.cases.models import Case
from asylon.orgadmin.tests.conftest import reauthenticated
from asylon.people.models import Person
from tests.factories import OrganisationFactory, sign_in

pytestmark = pytest.mark.django_db


def page(organisation):
    return reverse("ops:retention", args=[organisation.slug])


@pytest.fixture
def admin_client(org_admin) -> Client:
    return reauthenticated(sign_in(Client(), org_admin))


def test_the_page_lists_what_the_schedule_will_erase(admin_client, organisation, cases):
    response = admin_client.get(page(organisation))
    assert response.status_code == 200
    text = response.content.decode()
    assert cases.expired.reference in text and cases.expired_shared.reference in text
    assert cases.recent.reference not in text and cases.open.reference not in text
    assert "Erasing them also erases 1 persons and 1 documents." in text
    assert "1 closed case has no closing date" in text
    assert "No retention run has erased anything in this organisation yet." in text
    assert reverse("cases:case_detail", args=[cases.expired.pk]) in text


def test_showing_it_needs_no_reauthentication_but_erasing_does(org_admin, organisation, cases):
    client = sign_in(Client(), org_admin)
    assert client.get(page(organisation)).status_code == 200
    response = client.post(page(organisation), {"confirm": "on"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    assert Case.objects.filter(pk=cases.expired.pk).exists()


def test_erasing_asks_for_a_confirmation(admin_client, organisation, cases):
    response = admin_client.post(page(organisation), {})
    assert response.status_code == 200
    assert "Tick the box to confirm the erasure." in response.content.decode()
    assert Case.objects.count() == 5
    assert not AuditEntry.objects.filter(action="retention.run").exists()


def test_erasing_now_erases_and_audits_under_the_admins_name(admin_client, org_admin, organisation, cases):
    response = admin_client.post(page(organisation), {"confirm": "on"}, follow=True)
    assert "2 closed cases and 1 persons were erased." in response.content.decode()
    assert not Case.objects.filter(pk__in=[cases.expired.pk, cases.expired_shared.pk]).exists()
    assert not Person.objects.filter(pk=cases.client.pk).exists()
    entry = AuditEntry.objects.get(action="retention.run")
    assert entry.actor_id == org_admin.pk and entry.details["cases"] == 2
    assert entry.remote_address == "127.0.0.1"
    assert AuditEntry.objects.filter(action="case.erase", actor=org_admin).count() == 2
    text = admin_client.get(page(organisation)).content.decode()
    assert "Last retention run" in text and "No closed case is past its period." in text


def test_others_do_not_find_it(organisation, caseworker, cases, admin_client):
    assert reauthenticated(sign_in(Client(), caseworker)).get(page(organisation)).status_code in (403, 404)
    assert admin_client.get(page(OrganisationFactory())).status_code == 404
    assert Client().get(page(organisation)).status_code == 302
