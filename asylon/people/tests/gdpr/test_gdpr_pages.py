"""The person page's GDPR actions: the buttons, re-authentication first, the erasure confirmation, the download."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import translation
from pyrage import decrypt, x25519

from asylon.audit.models import AuditEntry
from asylon.cases.models import Case
from asylon.people.models import Person, PersonTombstone
from tests.factories import signed_in

PASSPHRASE = "seven random words make a passphrase"  # nosec B105


def urls(person):
    return reverse("people:subject_access", args=[person.pk]), reverse("people:person_erase", args=[person.pk])


def test_the_person_page_offers_both_actions_to_organisation_admins_only(client, subject, org_admin, caseworker):
    access, erase = urls(subject.person)
    page = signed_in(client, org_admin).get(reverse("people:person_detail", args=[subject.person.pk]))
    assert access in page.content.decode() and erase in page.content.decode()
    client.logout()
    page = signed_in(client, caseworker).get(reverse("people:person_detail", args=[subject.person.pk]))
    assert page.status_code == 200
    assert access not in page.content.decode() and erase not in page.content.decode()


@pytest.mark.parametrize("which", [0, 1])
def test_both_pages_ask_for_re_authentication_first(client, subject, org_admin, which):
    signed_in(client, org_admin, reauthenticated_seconds_ago=None)
    response = client.get(urls(subject.person)[which])
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))


@pytest.mark.parametrize("which", [0, 1])
def test_caseworkers_are_refused(client, subject, caseworker, which):
    signed_in(client, caseworker)
    assert client.get(urls(subject.person)[which]).status_code == 403
    assert client.post(urls(subject.person)[which], {"reason": "request", "confirm": "on"}).status_code == 403
    assert Person.objects.filter(pk=subject.person.pk).exists()


def test_the_erasure_page_says_what_goes_with_the_person(client, subject, org_admin):
    response = signed_in(client, org_admin).get(urls(subject.person)[1])

    assert response.status_code == 200
    text = response.content.decode()
    assert subject.own_case.reference in text and subject.shared_case.reference not in text
    assert str(subject.witness.pk) in text
    assert response.context["counts"]["documents"] == 2


def test_erasure_needs_the_confirmation_and_a_reason(client, subject, org_admin):
    signed_in(client, org_admin)

    response = client.post(urls(subject.person)[1], {"reason": "request"})
    assert response.status_code == 200 and "confirm" in response.context["form"].errors
    response = client.post(urls(subject.person)[1], {"reason": "tidy", "confirm": "on"})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert Person.objects.filter(pk=subject.person.pk).exists()


def test_the_confirmed_erasure_erases_and_says_so(client, subject, org_admin, django_capture_on_commit_callbacks):
    signed_in(client, org_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(urls(subject.person)[1], {"reason": "request", "confirm": "on"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("people:person_search")
    assert str(subject.person.pk) in response.content.decode()
    assert not Person.objects.filter(pk=subject.person.pk).exists()
    assert not Case.objects.filter(pk=subject.own_case.pk).exists()
    assert PersonTombstone.objects.filter(former_person_id=subject.person.pk).exists()
    assert AuditEntry.objects.get(action="person.erase", target_id=str(subject.person.pk)).actor == org_admin
    # The former page is not found, like any record one may not see.
    assert client.get(reverse("people:person_detail", args=[subject.person.pk])).status_code == 404


def test_a_stale_erasure_post_goes_back_to_the_page(client, subject, org_admin):
    signed_in(client, org_admin, reauthenticated_seconds_ago=24 * 3600)
    response = client.post(urls(subject.person)[1], {"reason": "request", "confirm": "on"})
    assert response.status_code == 302 and response["Location"] == urls(subject.person)[1]
    assert Person.objects.filter(pk=subject.person.pk).exists()


def test_the_subject_access_download(client, subject, org_admin):
    identity = x25519.Identity.generate()
    signed_in(client, org_admin)

    response = client.post(
        urls(subject.person)[0], {"fmt": "html", "method": "recipients", "recipients": str(identity.to_public())}
    )

    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith('attachment; filename="subject-access-')
    archive = zipfile.ZipFile(io.BytesIO(decrypt(response.content, [identity])))
    assert json.loads(archive.read("subject-access.json"))["person_id"] == str(subject.person.pk)


def test_subject_access_errors_are_shown_in_place(client, subject, org_admin):
    signed_in(client, org_admin)
    response = client.post(
        urls(subject.person)[0],
        {"fmt": "html", "method": "passphrase", "passphrase": PASSPHRASE, "passphrase_again": "different"},
    )
    assert response.status_code == 200 and "passphrase_again" in response.context["form"].errors
    response = client.post(urls(subject.person)[0], {"fmt": "html", "method": "recipients", "recipients": "nope"})
    assert response.status_code == 200 and "recipients" in response.context["form"].errors
    assert not AuditEntry.objects.filter(action="person.subject_access_export").exists()


def test_a_stale_subject_access_post_keeps_no_passphrase(client, subject, org_admin):
    signed_in(client, org_admin, reauthenticated_seconds_ago=24 * 3600)
    data = {"fmt": "html", "method": "passphrase", "passphrase": PASSPHRASE, "passphrase_again": PASSPHRASE}
    response = client.post(urls(subject.person)[0], data)
    assert response.status_code == 302 and response["Location"] == urls(subject.person)[0]
    sessions = [session.get_decoded() for session in Session.objects.all()]
    assert sessions and PASSPHRASE not in json.dumps(sessions, default=str)
    assert not AuditEntry.objects.filter(action="person.subject_access_export").exists()


def test_the_subject_access_page_speaks_the_interface_language(client, subject, org_admin):
    with translation.override("ru"):
        url = urls(subject.person)[0]
    page = signed_in(client, org_admin).get(url).content.decode()
    assert url.startswith("/ru/")
    assert "Не менее 12 символов." in page and "At least" not in page
