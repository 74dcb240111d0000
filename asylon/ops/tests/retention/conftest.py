"""Cases around an organisation's retention cut-off, for the retention tests."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from asylon.accounts.models import OrgPolicy
from asylon.cases.models import Case, CaseParty, CaseStatus
from asylon.evidence.services.documents import document_store
from asylon.evidence.tests.samples import png
from tests.factories import case_with_member, event_on, person_on_case

DAYS = 30


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Each test stores its encrypted blobs in its own directory, so files can be looked for."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def closed(case: Case, days_ago: int | None) -> Case:
    closed_on = None if days_ago is None else timezone.localdate() - datetime.timedelta(days=days_ago)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closed_on=closed_on)
    case.refresh_from_db()
    return case


@dataclass
class Cases:
    expired: Case  # closed 40 days ago; its client is party to no other case
    expired_shared: Case  # closed 31 days ago; its client also has an open case
    recent: Case  # closed 10 days ago
    open: Case
    undated: Case  # closed without a closing date
    client: Any  # of `expired`, erased with it
    kept_client: Any  # of `expired_shared` and `open`, kept
    blob: str  # the stored file of a document of `expired`


@pytest.fixture
def cases(organisation, caseworker, org_admin) -> Cases:
    OrgPolicy.objects.update_or_create(organisation=organisation, defaults={"closed_case_retention_days": DAYS})
    expired = case_with_member(organisation, caseworker)
    client = person_on_case(expired)
    event_on(expired, client, "summons_issued", 2023, 4)
    document = document_store(
        actor=caseworker, case=expired, data=png(), filename="scan.png", content_type="image/png", person=client
    )
    expired_shared = case_with_member(organisation, caseworker)
    open_case = case_with_member(organisation, caseworker)
    kept_client = person_on_case(open_case)
    CaseParty.objects.create(organisation=organisation, case=expired_shared, person=kept_client)
    recent = case_with_member(organisation, caseworker)
    person_on_case(recent)
    undated = case_with_member(organisation, caseworker)
    person_on_case(undated)
    return Cases(
        expired=closed(expired, 40),
        expired_shared=closed(expired_shared, DAYS + 1),
        recent=closed(recent, 10),
        open=open_case,
        undated=closed(undated, None),
        client=client,
        kept_client=kept_client,
        blob=document.blob_name,
    )
