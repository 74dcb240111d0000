"""A lawyer signs in with a password, is made to add a passkey, signs out, and signs in with the passkey."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from asylon.accounts.models import Role
from tests.factories import TEST_PASSWORD, staff

pytestmark = [pytest.mark.sqlite_only, pytest.mark.django_db(transaction=True)]


def sign_in_with_password(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill('input[name="login"]', email)
    page.fill('input[name="password"]', TEST_PASSWORD)
    page.press('input[name="password"]', "Enter")


def click_webauthn_button(page, selector: str) -> None:
    """allauth wires its WebAuthn buttons from a script run on page load: wait for it before clicking."""
    page.wait_for_load_state("load")
    page.wait_for_selector(selector)
    page.click(selector)


def test_forced_passkey_enrolment_then_passkey_sign_in(live_server, page, passkey_authenticator, organisation):
    base_url = live_server.url
    assert base_url.startswith("http://localhost:")
    lawyer = staff(organisation, Role.LAWYER)

    sign_in_with_password(page, base_url, lawyer.email)
    # The lawyer's policy requires a passkey: every page leads to adding one, after the password again.
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    page.fill('input[name="password"]', TEST_PASSWORD)
    page.press('input[name="password"]', "Enter")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/webauthn/add/"))
    page.goto(f"{base_url}/home/")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/webauthn/add/"))

    page.check('input[name="passwordless"]')
    click_webauthn_button(page, "#mfa_webauthn_add")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/recovery-codes/"))
    assert Authenticator.objects.filter(user=lawyer, type=Authenticator.Type.WEBAUTHN).count() == 1

    page.goto(f"{base_url}/home/")
    page.wait_for_selector("h1:has-text('Dashboard')")

    page.click("header.site nav form button[type=submit]")  # Sign out
    expect(page).to_have_url(re.compile(r"/accounts/login/"))

    click_webauthn_button(page, "#passkey_login")
    expect(page).to_have_url(re.compile(r"/home/"))
    page.wait_for_selector("h1:has-text('Dashboard')")
    assert page.locator("header.site nav").get_by_text("Security").is_visible()

    # The same passkey also serves as the second factor after the password.
    page.click("header.site nav form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    sign_in_with_password(page, base_url, lawyer.email)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    click_webauthn_button(page, "#mfa_webauthn_authenticate")
    expect(page).to_have_url(re.compile(r"/home/"))
    page.wait_for_selector("h1:has-text('Dashboard')")
