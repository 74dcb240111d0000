"""The /exports/ page: re-authentication first, only the permitted formats, errors in place, the download."""

from __future__ import annotations

import json

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from asylon.accounts.models import Role
from asylon.audit.models import AuditEntry
from tests.factories import signed_in

from .conftest import PASSPHRASE, opened

pytestmark = pytest.mark.django_db

URL = "/exports/"


def posted(casefile, **fields):
    return {"organisation": str(casefile.organisation.pk), "export_format": "json", "method": "passphrase", **fields}


def test_the_page_asks_for_re_authentication_first(client, casefile):
    signed_in(client, casefile.users[Role.CASEWORKER], reauthenticated_seconds_ago=None)
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))


def test_a_stale_post_goes_back_to_the_page_and_keeps_no_secret(client, casefile):
    signed_in(client, casefile.users[Role.CASEWORKER], reauthenticated_seconds_ago=24 * 3600)
    data = posted(casefile, passphrase=PASSPHRASE, passphrase_again=PASSPHRASE)
    response = client.post(URL, data)
    assert response.status_code == 302 and response["Location"] == URL
    assert not AuditEntry.objects.filter(action="export.create").exists()
    sessions = [session.get_decoded() for session in Session.objects.all()]
    assert sessions and PASSPHRASE not in json.dumps(sessions, default=str)
    # Back on the page, allauth asks for re-authentication before the form is shown again.
    assert client.get(URL)["Location"].startswith(reverse("account_reauthenticate"))


def test_a_caseworker_is_offered_the_common_formats_only(client, casefile):
    signed_in(client, casefile.users[Role.CASEWORKER])
    response = client.get(URL)
    assert response.status_code == 200
    offered = [value for value, label in response.context["form"].fields["export_format"].choices]
    assert offered == ["csv", "xlsx", "json"]
    assert response.headers["Cache-Control"].count("no-store") == 1


def test_an_org_admin_is_offered_every_format(client, casefile):
    signed_in(client, casefile.users[Role.ORG_ADMIN])
    offered = [value for value, label in client.get(URL).context["form"].fields["export_format"].choices]
    assert offered == ["csv", "xlsx", "json", "esf", "uwazi"]


@pytest.mark.parametrize("role", [Role.ANALYST, Role.VIEWER, Role.AUDITOR])
def test_roles_without_an_export_permission_are_refused(client, casefile, role):
    signed_in(client, casefile.users[role])
    assert client.get(URL).status_code == 403
    assert client.post(URL, posted(casefile, passphrase=PASSPHRASE, passphrase_again=PASSPHRASE)).status_code == 403


def test_a_caseworker_may_not_post_an_admin_format(client, casefile, age_identity):
    signed_in(client, casefile.users[Role.CASEWORKER])
    data = posted(casefile, export_format="esf", method="recipients", recipients=str(age_identity.to_public()))
    response = client.post(URL, data)
    assert response.status_code == 200 and "export_format" in response.context["form"].errors
    assert not AuditEntry.objects.filter(action="export.create").exists()


def test_the_download_is_an_encrypted_attachment_that_is_not_stored(client, casefile, age_identity):
    signed_in(client, casefile.users[Role.CASEWORKER])
    data = posted(casefile, method="recipients", recipients=str(age_identity.to_public()))
    response = client.post(URL, data)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith('attachment; filename="asylon-export-')
    assert response["Content-Disposition"].endswith('.json.age"')
    assert "no-store" in response["Cache-Control"]
    document = json.loads(opened(response.content, age_identity))
    assert [case["id"] for case in document["cases"]] == [str(casefile.own.pk)]
    assert AuditEntry.objects.filter(action="export.create", actor=casefile.users[Role.CASEWORKER]).count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"passphrase": PASSPHRASE, "passphrase_again": PASSPHRASE + "!"}, "passphrase_again"),
        ({"passphrase": "", "passphrase_again": ""}, "passphrase"),
        ({"passphrase": "too short", "passphrase_again": "too short"}, "passphrase"),
        ({"method": "recipients", "recipients": "age1 not a key"}, "recipients"),
        ({"method": "recipients", "recipients": ""}, "recipients"),
        (
            {
                "passphrase": PASSPHRASE,
                "passphrase_again": PASSPHRASE,
                "opened_from": "2024-02-01",
                "opened_until": "2024-01-01",
            },
            "opened_until",
        ),
    ],
)
def test_errors_are_shown_on_their_field_in_the_users_language(client, casefile, fields, field):
    signed_in(client, casefile.users[Role.CASEWORKER])
    response = client.post("/lt" + URL, posted(casefile, **fields))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not AuditEntry.objects.filter(action="export.create").exists()
    assert PASSPHRASE not in response.content.decode(), "passphrases are never shown back"


def test_the_case_page_links_to_an_export_of_that_case(client, casefile):
    signed_in(client, casefile.users[Role.LAWYER])
    page = client.get(reverse("cases:case_detail", args=[casefile.own.pk])).content.decode()
    assert f'href="{URL}?case={casefile.own.pk}"' in page
    response = client.get(URL, {"case": str(casefile.own.pk)})
    assert response.context["case"] == casefile.own
    assert str(response.context["form"]["case"].value()) == str(casefile.own.pk)


def test_a_case_the_user_may_not_open_is_not_offered(client, casefile):
    signed_in(client, casefile.users[Role.CASEWORKER])
    response = client.get(URL, {"case": str(casefile.other.pk)})
    assert response.context["case"] is None


def test_the_navigation_offers_the_page_to_exporters_only(client, casefile):
    signed_in(client, casefile.users[Role.CASEWORKER])
    assert f'href="{URL}"' in client.get(reverse("home")).content.decode()
    client.logout()
    signed_in(client, casefile.users[Role.ANALYST])
    assert f'href="{URL}"' not in client.get(reverse("home")).content.decode()


def test_the_passphrase_advice_is_in_the_page_language(client, casefile):
    signed_in(client, casefile.users[Role.CASEWORKER])
    page = client.get("/ru" + URL).content.decode()
    assert "Не менее 12 символов." in page
    assert "At least" not in page
