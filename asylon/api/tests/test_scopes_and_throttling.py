"""Scopes (a read token only reads) and rate limits per token (429 with Retry-After), harder without a token."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from asylon.api.throttles import AnonymousRateThrottle, TokenRateThrottle
from asylon.cases.models import Case

pytestmark = pytest.mark.django_db
CASES = "/api/v1/cases/"


def test_a_read_token_reads_but_may_not_write(api_client, caseworker, case):
    client = api_client(caseworker, "read")
    assert client.get(CASES).status_code == 200
    response = client.post(CASES, {"risk": "high"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert client.patch(f"{CASES}{case.pk}/", {"risk": "low"}, format="json").status_code == 403
    assert Case.objects.count() == 1
    case.refresh_from_db()
    assert case.risk == "medium"


def test_a_write_token_reads_and_writes(api_client, caseworker, case):
    client = api_client(caseworker, "write")
    assert client.get(CASES).status_code == 200
    assert client.patch(f"{CASES}{case.pk}/", {"risk": "low"}, format="json").status_code == 200


@pytest.fixture
def low_rates(monkeypatch):
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "3/minute", "anonymous": "2/minute"})
    monkeypatch.setattr(AnonymousRateThrottle, "THROTTLE_RATES", {"token": "3/minute", "anonymous": "2/minute"})


def test_each_token_is_limited_on_its_own(low_rates, api_client, caseworker, lawyer, case):
    first, second = api_client(caseworker), api_client(lawyer)
    assert [first.get(CASES).status_code for _ in range(3)] == [200, 200, 200]
    refused = first.get(CASES)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert refused.json()["code"] == "throttled"
    assert second.get(CASES).status_code == 200


def test_requests_without_a_valid_token_are_limited_harder(low_rates, db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer asy_guessed")
    assert [client.get(CASES).status_code for _ in range(2)] == [401, 401]
    assert client.get(CASES).status_code == 429
