"""Bearer-token authentication: missing, malformed, unknown, expired and revoked tokens get 401 with
WWW-Authenticate; sessions and basic auth are not accepted; a token acts in its organisation only;
last use is recorded at most once a minute."""

from __future__ import annotations

import base64
import datetime

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from asylon.accounts.models import ApiToken, Membership, Role
from asylon.accounts.tokens import api_token_create, api_token_revoke
from asylon.api.tests.conftest import bearer
from tests.factories import OrganisationFactory, case_with_member, enrol_second_factor, sign_in

pytestmark = pytest.mark.django_db
CASES = "/api/v1/cases/"


def assert_unauthorised(response) -> None:
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["code"] in {"not_authenticated", "authentication_failed"}
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "header",
    [None, "", "Bearer", "Bearer ", "Token asy_x", "Basic dXNlcjpwYXNz", "Bearer asy_unknown", "Bearer " + "a" * 5000],
    ids=["missing", "empty", "keyword only", "keyword and space", "other keyword", "basic", "unknown", "huge"],
)
def test_no_valid_token_is_refused(header):
    client = APIClient()
    if header is not None:
        client.credentials(HTTP_AUTHORIZATION=header)
    assert_unauthorised(client.get(CASES))


def test_a_valid_token_is_accepted_and_needs_no_csrf(api_client, caseworker, case):
    client = api_client(caseworker, "write")
    client.handler.enforce_csrf_checks = True
    assert client.get(CASES).status_code == 200
    assert client.post(CASES, {"risk": "high"}, format="json").status_code == 201


def test_expired_token_refused(organisation, caseworker):
    issued = api_token_create(actor=caseworker, organisation=organisation, label="x")
    with time_machine.travel(issued.token.expires_at + datetime.timedelta(seconds=1)):
        assert_unauthorised(bearer(issued.secret).get(CASES))


def test_revoked_token_refused(organisation, caseworker):
    issued = api_token_create(actor=caseworker, organisation=organisation, label="x")
    api_token_revoke(actor=caseworker, token=issued.token)
    assert_unauthorised(bearer(issued.secret).get(CASES))


def test_a_token_stops_working_when_its_user_leaves_the_organisation_or_is_deactivated(organisation, caseworker):
    issued = api_token_create(actor=caseworker, organisation=organisation, label="x")
    caseworker.is_active = False
    caseworker.save()
    assert_unauthorised(bearer(issued.secret).get(CASES))
    caseworker.is_active = True
    caseworker.save()
    Membership.objects.filter(user=caseworker).delete()
    assert_unauthorised(bearer(issued.secret).get(CASES))


def test_a_session_is_not_accepted_and_is_left_signed_in(caseworker, case):
    client = APIClient()
    sign_in(client, caseworker, enrol_second_factor(caseworker))
    response = client.get(CASES)
    assert_unauthorised(response)
    assert "Clear-Site-Data" not in response  # the browser's session is not wiped by a refused API call
    assert client.get("/home/").status_code == 200


def test_basic_auth_with_a_valid_password_is_not_accepted(caseworker):
    from tests.factories import TEST_PASSWORD

    credentials = base64.b64encode(f"{caseworker.email}:{TEST_PASSWORD}".encode()).decode()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Basic {credentials}")
    assert_unauthorised(client.get(CASES))


def test_a_token_sees_only_its_own_organisation(api_client, organisation, caseworker, case):
    """The user is a member of B too, with a case there; a token of A shows nothing of B, and one of B nothing of A."""
    other = OrganisationFactory()
    Membership.objects.create(user=caseworker, organisation=other, role=Role.ORG_ADMIN)
    foreign_case = case_with_member(other, caseworker)

    token_a = api_client(caseworker, "write", organisation=organisation)
    listed = {row["id"] for row in token_a.get(CASES).json()["results"]}
    assert listed == {str(case.pk)}
    assert token_a.get(f"{CASES}{foreign_case.pk}/").status_code == 404
    assert token_a.patch(f"{CASES}{foreign_case.pk}/", {"risk": "low"}, format="json").status_code == 404
    assert token_a.get("/api/v1/persons/", {"case": str(foreign_case.pk)}).json()["results"] == []

    token_b = api_client(caseworker, "read", organisation=other)
    assert {row["id"] for row in token_b.get(CASES).json()["results"]} == {str(foreign_case.pk)}


def test_last_use_recorded_at_most_once_a_minute(organisation, caseworker):
    issued = api_token_create(actor=caseworker, organisation=organisation, label="x")
    client = bearer(issued.secret)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get(CASES)
        first = ApiToken.objects.get().last_used_at
        assert first == start
    with time_machine.travel(start + datetime.timedelta(seconds=30), tick=False):
        client.get(CASES)
        assert ApiToken.objects.get().last_used_at == first
    with time_machine.travel(start + datetime.timedelta(seconds=61), tick=False):
        client.get(CASES)
        assert ApiToken.objects.get().last_used_at == start + datetime.timedelta(seconds=61)
