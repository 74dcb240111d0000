"""Emergency revocation in the browser: a lawyer signed in with a real (virtual) passkey is cut off by
an admin's revocation; the open page is signed out on its next request and the passkey no longer
signs in, while before the revocation it did."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from asylon.accounts.models import Role
from asylon.accounts.services_revocation import device_seized
from e2e.test_passkey_login import click_webauthn_button, sign_in_with_password
from tests.factories import TEST_PASSWORD, staff

pytestmark = [pytest.mark.sqlite_only, pytest.mark.django_db(transaction=True)]


def test_a_seized_device_loses_its_session_and_its_passkey_at_once(
    live_server, page, passkey_authenticator, organisation
):
    base_url = live_server.url
    lawyer = staff(organisation, Role.LAWYER)
    admin = staff(organisation, Role.ORG_ADMIN)

    # The lawyer enrols a passkey (the policy requires one) and signs in with it alone.
    sign_in_with_password(page, base_url, lawyer.email)
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    page.fill('input[name="password"]', TEST_PASSWORD)
    page.press('input[name="password"]', "Enter")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/webauthn/add/"))
    page.check('input[name="passwordless"]')
    click_webauthn_button(page, "#mfa_webauthn_add")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/recovery-codes/"))
    page.click("header.site nav form button[type=submit]")  # Sign out
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    click_webauthn_button(page, "#passkey_login")
    expect(page).to_have_url(re.compile(r"/home/"))
    page.wait_for_selector("h1:has-text('Dashboard')")

    # The laptop is taken at the border; an admin acts from the office.
    revocation = device_seized(actor=admin, organisation=organisation, user=lawyer)
    assert revocation.sessions >= 1 and revocation.authenticators.get("webauthn") == 1
    assert not Authenticator.objects.filter(user=lawyer).exists()

    # Whoever holds the laptop: the open page is signed out, the passkey is refused, the saved password too.
    page.goto(f"{base_url}/home/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    click_webauthn_button(page, "#passkey_login")  # the authenticator still signs; the server knows no such key
    expect(page.locator("main")).to_contain_text("Incorrect code")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.goto(f"{base_url}/home/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    sign_in_with_password(page, base_url, lawyer.email)
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.goto(f"{base_url}/home/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))

    # The lawyer, handed the one-time password in person, starts again: new password, then a new passkey.
    page.fill('input[name="login"]', lawyer.email)
    page.fill('input[name="password"]', revocation.one_time_password)
    page.press('input[name="password"]', "Enter")
    expect(page).to_have_url(re.compile(r"/accounts/password/change/"))
