"""django-axes behind allauth's login: lockout after repeated failures, a clear page, no address stored."""

import pytest
from axes.models import AccessAttempt, AccessLog
from django.core.cache import cache
from django.urls import reverse

from asylon.accounts.lockout import client_pseudonym, lockout_clear, login_pseudonym_of
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

CLIENT_ADDRESS = "203.0.113.7"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """allauth's own login throttle counts in the cache, which outlives a test's database."""
    cache.clear()
    yield
    cache.clear()


def attempt(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=CLIENT_ADDRESS)


def test_five_failures_lock_the_login_even_with_the_right_password(client, caseworker, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, caseworker.email, "wrong password here").status_code == 200
    locked = attempt(client, caseworker.email, "wrong password here")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Sign-in paused" in page
    assert "try again in 15 minutes" in page
    # While locked, the right password does not open the account (axes, or allauth's own throttle first).
    refused = attempt(client, caseworker.email, TEST_PASSWORD)
    assert refused.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_lockout_page_is_translated(client, caseworker, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(
            "/ru/accounts/login/", {"login": caseworker.email, "password": "wrong password"}, REMOTE_ADDR=CLIENT_ADDRESS
        )
    response = client.post(
        "/ru/accounts/login/", {"login": caseworker.email, "password": "wrong password"}, REMOTE_ADDR=CLIENT_ADDRESS
    )
    assert response.status_code == 429
    assert 'lang="ru"' in response.content.decode()


def test_a_differently_cased_login_counts_against_the_same_lock(client, caseworker, settings):
    for index in range(settings.AXES_FAILURE_LIMIT - 1):
        email = caseworker.email.upper() if index % 2 else caseworker.email
        attempt(client, email, "wrong password here")
    assert AccessAttempt.objects.get().failures_since_start == settings.AXES_FAILURE_LIMIT - 1
    assert attempt(client, caseworker.email.title(), "wrong password here").status_code == 429


def test_attempts_table_holds_pseudonyms_not_addresses(client, caseworker):
    attempt(client, caseworker.email, "wrong password here")
    row = AccessAttempt.objects.get()
    assert row.username == login_pseudonym_of(caseworker.email)
    assert caseworker.email not in row.username
    assert row.ip_address != CLIENT_ADDRESS
    assert row.ip_address.startswith("fd")
    assert CLIENT_ADDRESS not in str(row.get_data) + str(row.post_data)
    assert caseworker.email not in str(row.post_data)
    assert "wrong password here" not in str(row.post_data)


def test_client_pseudonym_is_stable_and_keyed(rf):
    first = rf.get("/", REMOTE_ADDR=CLIENT_ADDRESS)
    second = rf.get("/", REMOTE_ADDR=CLIENT_ADDRESS)
    other = rf.get("/", REMOTE_ADDR="203.0.113.8")
    assert client_pseudonym(first) == client_pseudonym(second)
    assert client_pseudonym(first) != client_pseudonym(other)


def test_successful_logins_leave_no_access_log(client, caseworker):
    attempt(client, caseworker.email, TEST_PASSWORD)
    assert client.session.get("_auth_user_id")
    assert not AccessLog.objects.exists()


def test_an_operator_can_lift_the_lock(client, caseworker, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, caseworker.email, "wrong password here")
    lockout_clear(login=caseworker.email)
    cache.clear()  # allauth's five-minute throttle is a separate, shorter brake
    response = attempt(client, caseworker.email, TEST_PASSWORD)
    assert response.status_code == 302
