"""/accounts/api-tokens/: the user's tokens, issuing one (shown once), revoking one."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from asylon.accounts.models import ApiToken, Role
from asylon.accounts.tokens import api_token_create, token_digest
from tests.factories import enrol_second_factor, sign_in, staff
from tests.factories import reauthenticated as reauthenticated_now  # the name `reauthenticated` is a flag below

pytestmark = pytest.mark.django_db
PAGE = "/accounts/api-tokens/"


def signed_in(user, *, reauthenticated: bool = True) -> Client:
    """Signed in with a second factor and, unless told otherwise, re-authenticated a moment ago."""
    client = sign_in(Client(), user, enrol_second_factor(user))
    return reauthenticated_now(client) if reauthenticated else client


def form(organisation, **fields) -> dict[str, str]:
    expires = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    return {
        "label": "Monthly export",
        "organisation": str(organisation.pk),
        "scope": "read",
        "expires_on": expires,
        **fields,
    }


def test_issuing_shows_the_token_once(organisation, caseworker):
    client = signed_in(caseworker)
    response = client.post(PAGE, form(organisation, scope="write"))
    assert response.status_code == 200
    token = ApiToken.objects.get()
    secret = response.context["issued"].secret
    assert token.digest == token_digest(secret) and token.scope == "write"
    assert secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    again = client.get(PAGE).content.decode()
    assert secret not in again and "Monthly export" in again


def test_issuing_asks_for_re_authentication_first(organisation, caseworker):
    client = signed_in(caseworker, reauthenticated=False)
    assert client.get(PAGE).status_code == 200  # the list needs none
    response = client.post(PAGE, form(organisation))
    assert response.status_code == 302 and "/accounts/reauthenticate/" in response["Location"]
    assert not ApiToken.objects.exists()


def test_a_viewer_may_only_issue_a_read_token(organisation):
    viewer = staff(organisation, Role.VIEWER)
    response = signed_in(viewer).post(PAGE, form(organisation, scope="write"))
    assert response.status_code == 200 and "scope" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_expiry_more_than_a_year_away_is_refused(organisation, caseworker):
    too_late = (timezone.localdate() + datetime.timedelta(days=400)).isoformat()
    response = signed_in(caseworker).post(PAGE, form(organisation, expires_on=too_late))
    assert "expires_on" in response.context["form"].errors and not ApiToken.objects.exists()


def test_the_list_shows_only_the_users_own_tokens(organisation, caseworker, lawyer):
    api_token_create(actor=lawyer, organisation=organisation, label="Lawyer's")
    api_token_create(actor=caseworker, organisation=organisation, label="Mine")
    page = signed_in(caseworker).get(PAGE).content.decode()
    assert "Mine" in page and "Lawyer&#x27;s" not in page and "Lawyer's" not in page


def test_revoke_own_token_but_not_another(organisation, caseworker, lawyer):
    mine = api_token_create(actor=caseworker, organisation=organisation, label="Mine").token
    theirs = api_token_create(actor=lawyer, organisation=organisation, label="Theirs").token
    client = signed_in(caseworker)
    assert client.get(f"{PAGE}{mine.pk}/revoke/").status_code == 405
    response = client.post(f"{PAGE}{mine.pk}/revoke/")
    assert response.status_code == 302 and response["Location"].endswith(PAGE)
    assert client.post(f"{PAGE}{theirs.pk}/revoke/").status_code == 404
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None and theirs.revoked_at is None


def test_signed_out_visitors_are_sent_to_sign_in(organisation):
    response = Client().get(PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
