"""HTTPS only (production settings: SECURE_SSL_REDIRECT on): the API is not redirected but refuses a
plain-HTTP request before its token is looked at, in the API's error shape; the pages still redirect."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import override_settings

from asylon.accounts.models import ApiToken, ApiTokenScope
from asylon.accounts.tokens import api_token_create
from asylon.api.tests.conftest import bearer

pytestmark = pytest.mark.django_db


@override_settings(SECURE_SSL_REDIRECT=True)
def test_plain_http_is_refused_without_processing_the_token(organisation, caseworker):
    token = api_token_create(actor=caseworker, organisation=organisation, label="https", scope=ApiTokenScope.READ)
    client = bearer(token.secret)
    for response in (
        client.get("/api/v1/cases/"),
        client.post("/api/v1/persons/search/", {"name": "Ivanou"}, format="json"),
        client.get("/api/v1/schema/"),
        bearer("asy_unknown").get("/api/v1/cases/"),  # not a 401: the token is not even looked up
    ):
        assert response.status_code == 403, response.content
        assert response.json()["code"] == "https_required" and "HTTPS" in response.json()["detail"]
        assert "Location" not in response
    assert ApiToken.objects.get(pk=token.token.pk).last_used_at is None
    cache.clear()
    assert client.get("/api/v1/cases/", secure=True).status_code == 200
    assert client.post("/api/v1/persons/search/", {"name": "Ivanou"}, format="json", secure=True).status_code == 200
    assert ApiToken.objects.get(pk=token.token.pk).last_used_at is not None


@override_settings(SECURE_SSL_REDIRECT=True)
def test_the_pages_are_still_redirected_to_https(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 301 and response["Location"].startswith("https://")


def test_plain_http_is_answered_where_https_is_not_required(organisation, caseworker):
    # ASYLON_INSECURE_LOCALHOST (make demo) and the tests: SECURE_SSL_REDIRECT off.
    token = api_token_create(actor=caseworker, organisation=organisation, label="http", scope=ApiTokenScope.READ)
    assert bearer(token.secret).get("/api/v1/cases/").status_code == 200
