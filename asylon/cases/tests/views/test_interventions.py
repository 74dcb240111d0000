"""Intervention form pages: add, edit, htmx, refusals and outsiders."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from asylon.accounts.models import Role
from asylon.audit.models import AuditEntry
from asylon.cases.models import Intervention
from asylon.cases.services.interventions import intervention_record
from tests.factories import sign_in, staff

pytestmark = pytest.mark.django_db

VALID = {
    "intervention_type": "letter_to_authority",
    "carried_out_on": "2024-04-02",
    "addressee": "Migration Department",
}


def an_intervention(case, actor):
    return intervention_record(
        actor=actor, case=case, intervention_type="press_release", carried_out_on=datetime.date(2024, 4, 1)
    )


def test_the_add_page_offers_types_and_colleagues(client, case, caseworker):
    sign_in(client, caseworker)
    response = client.get(reverse("cases:intervention_add", args=[case.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="letter_to_authority"' in page
    assert f'value="{caseworker.pk}" selected' in page


def test_a_caseworker_adds_an_intervention(client, case, caseworker):
    sign_in(client, caseworker)
    response = client.post(reverse("cases:intervention_add", args=[case.pk]), {**VALID, "performed_by": caseworker.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:case_detail", args=[case.pk])
    intervention = Intervention.objects.get(case=case)
    assert (intervention.performed_by, intervention.addressee) == (caseworker, "Migration Department")
    assert AuditEntry.objects.filter(action="intervention.create", target_id=str(intervention.pk)).exists()


def test_htmx_gets_the_form_back_then_a_client_redirect(client, case, caseworker):
    sign_in(client, caseworker)
    url = reverse("cases:intervention_add", args=[case.pk])
    invalid = client.post(url, {**VALID, "carried_out_on": "2999-01-01"}, HTTP_HX_REQUEST="true")
    assert invalid.content.decode().lstrip().startswith("<form")
    assert "This date is in the future." in invalid.content.decode()
    assert not Intervention.objects.exists()
    valid = client.post(url, VALID, HTTP_HX_REQUEST="true")
    assert valid["HX-Redirect"] == reverse("cases:case_detail", args=[case.pk])


def test_the_response_is_added_on_the_edit_page(client, case, caseworker):
    intervention = an_intervention(case, caseworker)
    sign_in(client, caseworker)
    url = reverse("cases:intervention_edit", args=[case.pk, intervention.pk])
    assert 'value="press_release" selected' in client.get(url).content.decode()
    response = client.post(url, {**VALID, "intervention_type": "press_release", "response": "Covered by two outlets"})
    assert response.status_code == 302
    assert Intervention.objects.get(pk=intervention.pk).response == "Covered by two outlets"


def test_invalid_input_shows_an_error_and_changes_nothing(client, case, caseworker):
    intervention = an_intervention(case, caseworker)
    sign_in(client, caseworker)
    url = reverse("cases:intervention_edit", args=[case.pk, intervention.pk])
    response = client.post(url, {**VALID, "intervention_type": "prayer"})
    assert response.status_code == 200
    assert "form-errors" in response.content.decode()
    assert Intervention.objects.get(pk=intervention.pk).intervention_type.code == "press_release"


def test_a_viewer_is_refused_and_an_outsider_sees_nothing(client, case, caseworker, organisation, outsider):
    intervention = an_intervention(case, caseworker)
    viewer = staff(organisation, Role.VIEWER)
    case.memberships.create(organisation=organisation, user=viewer)
    sign_in(client, viewer)
    assert client.get(reverse("cases:intervention_add", args=[case.pk])).status_code == 403
    sign_in(client, outsider)
    assert client.get(reverse("cases:intervention_add", args=[case.pk])).status_code == 404
    assert client.post(reverse("cases:intervention_edit", args=[case.pk, intervention.pk]), VALID).status_code == 404
    assert Intervention.objects.get(pk=intervention.pk).addressee == ""


def test_the_case_page_links_each_intervention_to_its_edit_page(client, case, caseworker):
    intervention = an_intervention(case, caseworker)
    sign_in(client, caseworker)
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert reverse("cases:intervention_edit", args=[case.pk, intervention.pk]) in page
