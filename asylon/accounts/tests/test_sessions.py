"""Session limits (idle and absolute), sign out everywhere, the security page, the admin's sign-in."""

import time

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from asylon.audit.models import AuditEntry
from tests.factories import enrol_second_factor, sign_in

pytestmark = pytest.mark.django_db


def test_idle_session_is_signed_out(client, caseworker, settings):
    settings.ASYLON_SESSION_IDLE_MINUTES = 30
    with time_machine.travel(time.time(), tick=False) as traveller:
        sign_in(client, caseworker)
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(29 * 60)
        assert client.get(reverse("home")).status_code == 200  # activity resets the idle clock
        traveller.shift(29 * 60)
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(31 * 60)
        response = client.get(reverse("home"))
    assert response.url.startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_session_ends_after_its_absolute_lifetime_even_when_active(client, caseworker, settings):
    settings.ASYLON_SESSION_MAX_HOURS = 12
    with time_machine.travel(time.time(), tick=False) as traveller:
        sign_in(client, caseworker)
        for _ in range(11 * 3):
            traveller.shift(20 * 60)
            assert client.get(reverse("home")).status_code == 200
        traveller.shift(61 * 60)
        response = client.get(reverse("home"))
    assert response.url.startswith(reverse("account_login"))


def test_idle_limit_comes_from_settings(client, caseworker, settings):
    settings.ASYLON_SESSION_IDLE_MINUTES = 5
    with time_machine.travel(time.time(), tick=False) as traveller:
        sign_in(client, caseworker)
        client.get(reverse("home"))
        traveller.shift(6 * 60)
        assert client.get(reverse("home")).url.startswith(reverse("account_login"))


def test_security_page_lists_factors_and_offers_sign_out_everywhere(client, caseworker):
    page = sign_in(client, caseworker).get(reverse("account_security"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Sign out everywhere" in body
    assert "TOTP" in body or "Authenticator" in body


def test_sign_out_everywhere_ends_every_session_of_the_user_only(caseworker, lawyer):
    laptop, phone, colleague = Client(), Client(), Client()
    sign_in(laptop, caseworker)
    sign_in(phone, caseworker)
    sign_in(colleague, lawyer)
    assert Session.objects.count() == 3

    response = laptop.post(reverse("account_sign_out_everywhere"))

    assert response.url == reverse("account_login")
    assert phone.get(reverse("home")).url.startswith(reverse("account_login"))
    assert laptop.get(reverse("home")).url.startswith(reverse("account_login"))
    assert colleague.get(reverse("home")).status_code == 200
    entry = AuditEntry.objects.get(action="sessions.end_all")
    assert entry.target_id == str(caseworker.pk)
    assert entry.details == {"sessions": 2}


def test_sign_out_everywhere_needs_post(client, caseworker):
    sign_in(client, caseworker)
    assert client.get(reverse("account_sign_out_everywhere")).status_code == 405


def test_admin_sign_in_goes_through_allauth(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "next=" in response.url


def test_admin_needs_the_second_factor_too(client, caseworker):
    caseworker.is_staff = True
    caseworker.save()
    client.force_login(caseworker)  # not enrolled yet: enrolment first
    assert client.get("/admin/").url == reverse("mfa_index")
    enrol_second_factor(caseworker)
    assert client.get("/admin/").url == reverse("account_login")  # enrolled, but this session skipped it
    assert "_auth_user_id" not in client.session
    sign_in(client, caseworker)
    assert client.get("/admin/").status_code == 200
