"""Adding a public source from a case page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from asylon.accounts.models import Role
from asylon.audit.models import AuditEntry
from asylon.cases.services.events import event_record
from asylon.evidence.models import Source
from tests.factories import sign_in, staff

pytestmark = pytest.mark.django_db


def test_a_source_is_added_cited_by_an_event_and_the_page_returns_to_the_case(client, caseworker, case):
    event = event_record(
        actor=caseworker, case=case, event_type="summons_issued", date_precision="year", year=2023, description="x"
    )
    sign_in(client, caseworker)
    url = reverse("evidence:source_add", args=[case.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"title": "Law on Military Duty", "reliability": "high", "event": event.pk, "url": "https://example.org/"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("cases:case_detail", args=[case.pk])
    source = Source.objects.get()
    assert list(source.events.all()) == [event]
    assert AuditEntry.objects.filter(action="source.create", target_id=str(source.pk)).exists()


def test_invalid_dates_show_a_translated_error_and_save_nothing(client, caseworker, case):
    sign_in(client, caseworker)
    response = client.post(
        reverse("evidence:source_add", args=[case.pk]),
        {"title": "Report", "reliability": "low", "published_on": "2024-05-01", "accessed_on": "2024-04-01"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "cannot be accessed before it was published" in response.content.decode()
    assert not Source.objects.exists()


def test_a_viewer_is_refused_and_an_outsider_gets_404(client, organisation, case, outsider):
    viewer = staff(organisation, Role.VIEWER)
    case.memberships.create(organisation=organisation, user=viewer)
    sign_in(client, viewer)
    assert client.get(reverse("evidence:source_add", args=[case.pk])).status_code == 403
    sign_in(client, outsider)
    assert client.get(reverse("evidence:source_add", args=[case.pk])).status_code == 404
