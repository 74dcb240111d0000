"""Opening and editing a case through its form pages, with and without htmx."""

from __future__ import annotations

import pytest
from django.urls import reverse

from asylon.audit.models import AuditEntry
from asylon.cases.models import Case
from tests.factories import sign_in

pytestmark = pytest.mark.django_db


def test_opening_a_case_redirects_to_it_and_audits(client, caseworker, organisation):
    sign_in(client, caseworker)
    response = client.post(
        reverse("cases:case_open"), {"organisation": organisation.pk, "risk": "high", "summary": "Summoned twice."}
    )
    case = Case.objects.get(organisation=organisation)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:case_detail", args=[case.pk])
    assert case.risk == "high" and case.summary == "Summoned twice."
    assert AuditEntry.objects.filter(action="case.open", target_id=str(case.pk)).exists()


def test_a_service_error_is_shown_on_its_field_and_nothing_is_written(client, caseworker, organisation, case):
    sign_in(client, caseworker)
    response = client.post(
        reverse("cases:case_open"), {"organisation": organisation.pk, "reference": case.reference, "risk": "low"}
    )
    assert response.status_code == 200
    assert "A case with this reference already exists." in response.content.decode()
    assert Case.objects.filter(organisation=organisation).count() == 1


def test_htmx_gets_only_the_form_back_and_a_client_redirect_on_success(client, caseworker, case):
    sign_in(client, caseworker)
    url = reverse("cases:case_edit", args=[case.pk])
    invalid = client.post(
        url, {"status": "open", "risk": "nonsense", "opened_on": "2024-01-02"}, HTTP_HX_REQUEST="true"
    )
    assert invalid.status_code == 200
    assert invalid.content.decode().lstrip().startswith("<form")
    valid = client.post(url, {"status": "dormant", "risk": "low", "opened_on": "2024-01-02"}, HTTP_HX_REQUEST="true")
    assert valid["HX-Redirect"] == reverse("cases:case_detail", args=[case.pk])
    case.refresh_from_db()
    assert (case.status, case.risk) == ("dormant", "low")


def test_a_viewer_is_refused_the_edit_form(client, organisation, case):
    from asylon.accounts.models import Role
    from tests.factories import staff

    viewer = staff(organisation, Role.VIEWER)
    case.memberships.create(organisation=organisation, user=viewer)
    sign_in(client, viewer)
    assert client.get(reverse("cases:case_edit", args=[case.pk])).status_code == 403
