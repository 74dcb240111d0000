"""Adding case notes and correcting one's own; the privileged box only for lawyers."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from asylon.accounts.models import Role
from asylon.audit.models import AuditEntry
from asylon.cases.models import Note
from asylon.cases.services.notes import note_add
from tests.factories import sign_in, staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """Addresses and messages in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


def add_url(case):
    return reverse("cases:note_add", args=[case.pk])


def edit_url(note):
    return reverse("cases:note_edit", args=[note.case_id, note.pk])


def case_url(case):
    return reverse("cases:case_detail", args=[case.pk])


@pytest.fixture
def note(case, caseworker):
    return note_add(actor=caseworker, case=case, body="Called the client back.")


def test_a_caseworker_is_not_offered_the_privileged_box_and_cannot_sneak_it_in(client, caseworker, case):
    sign_in(client, caseworker)
    assert 'name="privileged"' not in client.get(add_url(case)).content.decode()
    response = client.post(add_url(case), {"body": "Met at the office.", "privileged": "on"})
    assert response.status_code == 302 and response["Location"] == case_url(case)
    stored = Note.objects.get(case=case)
    assert (stored.body, stored.privileged, stored.author) == ("Met at the office.", False, caseworker)
    assert AuditEntry.objects.filter(action="note.create", target_id=str(stored.pk)).exists()


def test_a_lawyer_may_write_a_privileged_note(client, lawyer, case):
    sign_in(client, lawyer)
    assert 'name="privileged"' in client.get(add_url(case)).content.decode()
    assert client.post(add_url(case), {"body": "Advice given.", "privileged": "on"}).status_code == 302
    assert Note.objects.get(case=case).privileged


def test_an_empty_note_is_refused_and_nothing_is_written(client, caseworker, case):
    sign_in(client, caseworker)
    response = client.post(add_url(case), {"body": "   "})
    assert response.status_code == 200 and "body" in response.context["form"].errors
    assert not Note.objects.exists()


def test_htmx_gets_only_the_form_back_and_a_client_redirect_on_success(client, caseworker, case):
    sign_in(client, caseworker)
    invalid = client.post(add_url(case), {"body": ""}, HTTP_HX_REQUEST="true")
    assert invalid.content.decode().lstrip().startswith("<form")
    valid = client.post(add_url(case), {"body": "Short note."}, HTTP_HX_REQUEST="true")
    assert valid["HX-Redirect"] == case_url(case)


def test_the_author_corrects_a_note(client, caseworker, note):
    sign_in(client, caseworker)
    assert "Called the client back." in client.get(edit_url(note)).content.decode()
    response = client.post(edit_url(note), {"body": "Called the client back twice."})
    assert response.status_code == 302
    assert Note.objects.get(pk=note.pk).body == "Called the client back twice."
    assert AuditEntry.objects.filter(action="note.update", target_id=str(note.pk)).exists()


def test_someone_else_is_refused_before_the_form_is_shown(client, lawyer, org_admin, note):
    for user in (lawyer, org_admin):
        sign_in(client, user)
        assert client.get(edit_url(note)).status_code == 403
        assert client.post(edit_url(note), {"body": "Rewritten."}).status_code == 403
    assert Note.objects.get(pk=note.pk).body == "Called the client back."


def test_a_privileged_note_is_not_even_found_by_a_caseworker(client, caseworker, lawyer, case):
    privileged = note_add(actor=lawyer, case=case, body="Advice given.", privileged=True)
    sign_in(client, caseworker)
    assert client.get(edit_url(privileged)).status_code == 404


def test_an_outsider_gets_404_on_every_page(client, outsider, case, note):
    sign_in(client, outsider)
    assert client.get(add_url(case)).status_code == 404
    assert client.post(add_url(case), {"body": "x"}).status_code == 404
    assert client.get(edit_url(note)).status_code == 404
    assert client.post(edit_url(note), {"body": "x"}).status_code == 404
    assert Note.objects.count() == 1


def test_a_viewer_is_refused_the_add_form(client, organisation, case):
    viewer = staff(organisation, Role.VIEWER)
    case.memberships.create(organisation=organisation, user=viewer)
    sign_in(client, viewer)
    assert client.get(add_url(case)).status_code == 403
    assert client.post(add_url(case), {"body": "x"}).status_code == 403
    assert not Note.objects.exists()


def test_the_case_page_offers_the_edit_link_to_the_author_only(client, caseworker, lawyer, case, note):
    sign_in(client, caseworker)
    page = client.get(case_url(case)).content.decode()
    assert add_url(case) in page and edit_url(note) in page
    sign_in(client, lawyer)
    page = client.get(case_url(case)).content.decode()
    assert add_url(case) in page and edit_url(note) not in page


def test_a_lawyer_corrects_their_privileged_note_and_it_stays_privileged(client, lawyer, case):
    privileged = note_add(actor=lawyer, case=case, body="Advice given.", privileged=True)
    sign_in(client, lawyer)
    page = client.get(edit_url(privileged)).content.decode()
    assert "Advice given." in page and "only the case's lawyers can read it" in page
    assert client.post(edit_url(privileged), {"body": "Advice given in writing."}).status_code == 302
    stored = Note.objects.get(pk=privileged.pk)
    assert (stored.body, stored.privileged) == ("Advice given in writing.", True)
