"""/api/v1/documents/ (metadata only, never the file or its digests' storage name) and /api/v1/vocabularies/."""

from __future__ import annotations

import pytest

from asylon.accounts.models import Role
from asylon.audit.models import AuditEntry
from asylon.cases.models import CaseMembership
from tests.factories import staff

pytestmark = pytest.mark.django_db
DOCUMENTS, VOCABULARIES = "/api/v1/documents/", "/api/v1/vocabularies/"


def test_document_metadata_only(api_client, caseworker, seeded):
    client = api_client(caseworker)
    assert [row["id"] for row in client.get(DOCUMENTS).json()["results"]] == [seeded["documents"]]
    shown = client.get(f"{DOCUMENTS}{seeded['documents']}/").json()
    assert shown["filename"] == "scan.png" and shown["content_type"] == "image/png" and shown["size"] > 0
    assert not {"blob_name", "sha256", "received_sha256", "content", "blob"} & set(shown)
    entry = AuditEntry.objects.filter(action="read").latest("sequence")
    assert entry.details == {"evidence.document": [seeded["documents"]]} and entry.actor == caseworker


def test_a_viewer_sees_no_file_name(api_client, organisation, case, seeded):
    viewer = staff(organisation, Role.VIEWER)
    CaseMembership.objects.create(organisation=organisation, case=case, user=viewer)
    shown = api_client(viewer).get(f"{DOCUMENTS}{seeded['documents']}/").json()
    assert "filename" not in shown and "description" not in shown and shown["size"] > 0


def test_documents_of_other_cases_are_not_found(api_client, organisation, seeded):
    client = api_client(staff(organisation))
    assert client.get(DOCUMENTS).json()["results"] == []
    assert client.get(f"{DOCUMENTS}{seeded['documents']}/").status_code == 404


def test_vocabularies_and_their_terms(api_client, caseworker):
    client = api_client(caseworker)
    codes = [row["code"] for row in client.get(VOCABULARIES).json()]
    assert "event_type" in codes and "grounds" in codes
    vocabulary = client.get(f"{VOCABULARIES}event_type/", HTTP_ACCEPT_LANGUAGE="lt").json()
    assert vocabulary["code"] == "event_type" and vocabulary["labels"]["lt"] == vocabulary["label"]
    terms = client.get(f"{VOCABULARIES}event_type/terms/", {"page_size": 200}).json()["results"]
    assert "visa_refused" in {term["code"] for term in terms}
    assert all(term["active"] for term in terms)
    for missing in ("no_such_vocabulary", "bad code!"):
        assert client.get(f"{VOCABULARIES}{missing}/").status_code == 404
        assert client.get(f"{VOCABULARIES}{missing}/terms/").status_code == 404
