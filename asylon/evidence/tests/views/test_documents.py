"""Uploading, seeing and downloading documents through the pages, with and without htmx."""

from __future__ import annotations

import hashlib
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from asylon.accounts.models import Role
from asylon.audit.models import AuditEntry
from asylon.evidence.models import CustodyEntry, Document
from asylon.evidence.services import document_store
from asylon.evidence.storage import blob_read
from asylon.evidence.tests import samples
from tests.factories import person_on_case, sign_in, staff

pytestmark = pytest.mark.django_db


def upload_url(case):
    return reverse("evidence:document_upload", args=[case.pk])


def stored(case, actor, data=None, filename="Позва з ваенкамата.pdf"):
    return document_store(
        actor=actor,
        case=case,
        data=data or samples.pdf_with_metadata(),
        filename=filename,
        content_type="application/pdf",
    )


def test_the_upload_form_renders_with_a_file_input(client, caseworker, case):
    person_on_case(case)
    sign_in(client, caseworker)
    response = client.get(upload_url(case))
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        'type="file"' in html
        and 'enctype="multipart/form-data"' in html
        and 'hx-encoding="multipart/form-data"' in html
    )


def test_an_upload_is_stored_stripped_and_redirects_to_the_case(client, caseworker, case, private_media):
    person = person_on_case(case)
    sign_in(client, caseworker)
    upload = SimpleUploadedFile("photo.jpg", samples.jpeg_with_gps(), content_type="image/jpeg")
    response = client.post(upload_url(case), {"file": upload, "description": "Summons", "person": person.pk})
    document = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:case_detail", args=[case.pk])
    assert (document.person, document.description, document.content_type) == (person, "Summons", "image/jpeg")
    assert b"TestCam" not in blob_read(document)
    assert samples.stored_blobs(private_media) == [document.blob_name]


def test_an_htmx_upload_answers_with_a_client_redirect(client, caseworker, case):
    sign_in(client, caseworker)
    upload = SimpleUploadedFile("map.png", samples.png(), content_type="image/png")
    response = client.post(upload_url(case), {"file": upload}, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == reverse("cases:case_detail", args=[case.pk])
    assert Document.objects.count() == 1


def test_a_refused_file_shows_the_reason_on_the_file_field_and_stores_nothing(client, caseworker, case, private_media):
    sign_in(client, caseworker)
    upload = SimpleUploadedFile("photo.jpg", samples.png(), content_type="image/jpeg")
    response = client.post(upload_url(case), {"file": upload}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith("<form")
    assert "does not match its content, which is image/png" in html
    assert not Document.objects.exists() and samples.stored_blobs(private_media) == []


def test_an_oversize_upload_is_refused_by_the_form(client, caseworker, case, settings):
    settings.ASYLON_MAX_DOCUMENT_BYTES = 1000
    sign_in(client, caseworker)
    upload = SimpleUploadedFile("long.txt", b"a" * 5000, content_type="text/plain")
    response = client.post(upload_url(case), {"file": upload})
    assert response.status_code == 200
    assert "larger than the limit" in response.content.decode()
    assert not Document.objects.exists()


def test_download_is_an_attachment_of_the_stored_bytes_with_custody_and_audit(client, caseworker, lawyer, case):
    document = stored(case, caseworker)
    sign_in(client, lawyer)
    response = client.get(reverse("evidence:document_download", args=[case.pk, document.pk]))
    assert response.status_code == 200
    assert response.content == blob_read(document)
    assert hashlib.sha256(response.content).hexdigest() == document.sha256
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="')
    assert disposition.split('"')[1].isascii() and disposition.split('"')[1].endswith(".pdf")
    assert f"filename*=UTF-8''{quote('Позва з ваенкамата.pdf', safe='')}" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert CustodyEntry.objects.filter(document=document, action="downloaded", actor=lawyer).count() == 1
    assert AuditEntry.objects.filter(action="document.downloaded", target_id=str(document.pk)).exists()


def test_an_ascii_name_is_kept_in_the_fallback(client, caseworker, case):
    document = stored(case, caseworker, filename='decision "final".pdf')
    sign_in(client, caseworker)
    response = client.get(reverse("evidence:document_download", args=[case.pk, document.pk]))
    assert response["Content-Disposition"].startswith('attachment; filename="decision_final_.pdf"')


def test_details_show_both_digests_and_the_custody(client, caseworker, case):
    received = samples.pdf_with_metadata()
    document = stored(case, caseworker, data=received)
    sign_in(client, caseworker)
    response = client.get(reverse("evidence:document_detail", args=[case.pk, document.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert hashlib.sha256(received).hexdigest() in html and document.sha256 in html
    assert "Позва з ваенкамата.pdf" in html and "received" in html
    assert reverse("evidence:document_download", args=[case.pk, document.pk]) in html
    assert not CustodyEntry.objects.filter(action="viewed").exists()  # metadata views are read-audited instead


def test_a_viewer_sees_the_details_redacted_and_may_not_download(client, caseworker, organisation, case):
    document = stored(case, caseworker)
    viewer = staff(organisation, Role.VIEWER)
    case.memberships.create(organisation=organisation, user=viewer)
    sign_in(client, viewer)
    details = client.get(reverse("evidence:document_detail", args=[case.pk, document.pk])).content.decode()
    assert "Позва" not in details and document.sha256 not in details
    assert reverse("evidence:document_download", args=[case.pk, document.pk]) not in details
    response = client.get(reverse("evidence:document_download", args=[case.pk, document.pk]))
    assert response.status_code == 403
    assert not CustodyEntry.objects.filter(action="downloaded").exists()


def test_an_outsider_gets_404_everywhere(client, caseworker, outsider, case):
    document = stored(case, caseworker)
    sign_in(client, outsider)
    for name in ("document_detail", "document_download"):
        assert client.get(reverse(f"evidence:{name}", args=[case.pk, document.pk])).status_code == 404
    assert client.get(upload_url(case)).status_code == 404
    upload = SimpleUploadedFile("map.png", samples.png(), content_type="image/png")
    assert client.post(upload_url(case), {"file": upload}).status_code == 404
    assert Document.objects.count() == 1


def test_a_document_named_under_another_case_is_404(client, caseworker, organisation, case):
    from tests.factories import case_with_member

    other = case_with_member(organisation, caseworker)
    document = stored(case, caseworker)
    sign_in(client, caseworker)
    assert client.get(reverse("evidence:document_download", args=[other.pk, document.pk])).status_code == 404


def test_the_upload_checks_the_csrf_token(caseworker, case):
    from django.test import Client

    client = sign_in(Client(enforce_csrf_checks=True), caseworker)
    upload = SimpleUploadedFile("map.png", samples.png(), content_type="image/png")
    assert client.post(upload_url(case), {"file": upload}).status_code == 403
    assert not Document.objects.exists()


def test_the_case_page_links_to_documents_as_permissions_allow(client, caseworker, organisation, case):
    document = stored(case, caseworker)
    case_page = reverse("cases:case_detail", args=[case.pk])
    links = [
        reverse("evidence:document_upload", args=[case.pk]),
        reverse("evidence:source_add", args=[case.pk]),
        reverse("evidence:document_download", args=[case.pk, document.pk]),
    ]
    details = reverse("evidence:document_detail", args=[case.pk, document.pk])
    sign_in(client, caseworker)
    html = client.get(case_page).content.decode()
    assert all(link in html for link in [*links, details])
    viewer = staff(organisation, Role.VIEWER)
    case.memberships.create(organisation=organisation, user=viewer)
    sign_in(client, viewer)
    html = client.get(case_page).content.decode()
    assert details in html and not any(link in html for link in links)


def test_a_large_upload_stays_in_memory_never_in_a_clear_temporary_file(
    client, caseworker, case, settings, monkeypatch
):
    import django.core.files.uploadhandler as handlers

    def no_temporary_file(*args, **kwargs):
        raise AssertionError("an upload was written to a temporary file")

    monkeypatch.setattr(handlers, "TemporaryUploadedFile", no_temporary_file)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10
    sign_in(client, caseworker)
    upload = SimpleUploadedFile("decision.pdf", samples.plain_pdf(), content_type="application/pdf")
    response = client.post(upload_url(case), {"file": upload})
    assert response.status_code == 302
    assert Document.objects.get().content_type == "application/pdf"


def test_details_name_the_linked_person_as_clearance_allows(client, caseworker, case):
    person = person_on_case(case, given_name="Уладзіслаў", family_name="Кавалёнак")
    document = document_store(
        actor=caseworker, case=case, data=samples.png(), filename="map.png", content_type="image/png", person=person
    )
    sign_in(client, caseworker)
    html = client.get(reverse("evidence:document_detail", args=[case.pk, document.pk])).content.decode()
    assert "Уладзіслаў Кавалёнак" in html


def test_a_swapped_or_missing_file_is_not_given_out(client, caseworker, case, private_media):
    first, second = stored(case, caseworker), stored(case, caseworker, data=samples.plain_pdf())
    documents = private_media / "documents"
    (documents / first.blob_name).write_bytes((documents / second.blob_name).read_bytes())
    (documents / second.blob_name).unlink()
    sign_in(client, caseworker)
    for document in (first, second):
        response = client.get(reverse("evidence:document_download", args=[case.pk, document.pk]))
        assert response.status_code == 409
        assert "Content-Disposition" not in response
    assert not CustodyEntry.objects.filter(action="downloaded").exists()
