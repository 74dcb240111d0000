"""A new colleague joins through the organisation admin console: the admin invites, the colleague opens the
one-time link, chooses a password, enrols an authenticator app, and signs in with password and app code."""

from __future__ import annotations

import re
import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from asylon.accounts.models import Invitation, Membership, Role, User
from asylon.audit.models import AuditEntry
from asylon.orgadmin.tests.conftest import reauthenticated
from e2e.conftest import axe_violations
from tests.factories import OrganisationFactory, sign_in, staff

pytestmark = [pytest.mark.sqlite_only, pytest.mark.django_db(transaction=True)]

NEW_EMAIL = "new.colleague@example.org"
NEW_PASSWORD = "a long passphrase nobody guesses 8141"  # noqa: S105  (a test account's)


def app_code(secret: str, *, after_counter: int = -1) -> tuple[str, int]:
    """The code an authenticator app shows now (waiting for a period after `after_counter`), and its counter."""
    period = mfa_settings.TOTP_PERIOD
    while True:
        now = time.time()
        counter = int(now) // period
        if counter > after_counter and period - now % period >= 3:  # time enough to type it
            return format_hotp_value(hotp_value(secret, counter)), counter
        time.sleep(min(period - now % period + 0.1, period))


def admin_page(browser, live_server, admin):
    """A browser context with the admin's session, re-authenticated a moment ago."""
    client = reauthenticated(sign_in(Client(), admin))
    context = browser.new_context(locale="en-GB")
    context.set_default_timeout(20_000)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context.new_page()


def test_invitation_enrolment_and_sign_in(live_server, browser, page):
    organisation = OrganisationFactory(name="Our House")
    admin = staff(organisation, Role.ORG_ADMIN)

    # The admin invites a caseworker from the console and copies the link shown once.
    console = admin_page(browser, live_server, admin)
    console.goto(f"{live_server.url}/org/")
    expect(console.locator("h1")).to_contain_text("Organisation admin: Our House")
    console.get_by_role("link", name="Invite a colleague").first.click()
    console.fill('input[name="email"]', NEW_EMAIL)
    console.select_option('select[name="role"]', Role.CASEWORKER)
    console.get_by_role("button", name="Create the invitation link").click()
    link = console.locator('[data-testid="invitation-link"]').input_value()
    assert re.fullmatch(rf"{re.escape(live_server.url)}/org/join/[A-Za-z0-9_-]{{43}}/", link)
    assert axe_violations(console) == []
    # The console's other pages pass the same accessibility check.
    slug = organisation.slug
    for path, shows in (
        (f"/org/{slug}/", "Without a second factor yet"),
        (f"/org/{slug}/users/", admin.email),
        (f"/org/{slug}/users/{admin.pk}/", "Change the role"),
        (f"/org/{slug}/invitations/", NEW_EMAIL),
        (f"/org/{slug}/policy/", "Disclosure threshold k"),
    ):
        console.goto(f"{live_server.url}{path}")
        expect(console.locator("main")).to_contain_text(shows)
        assert axe_violations(console) == [], path
    console.context.close()

    # The colleague opens the link, chooses a password and is led to the second factor.
    page.goto(link)
    expect(page.locator("h1")).to_contain_text("Join Our House on Asylon")
    assert axe_violations(page) == []
    page.fill('input[name="password1"]', NEW_PASSWORD)
    page.fill('input[name="password2"]', NEW_PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/$"))
    page.goto(f"{live_server.url}/home/")  # nothing else opens before a second factor
    expect(page).to_have_url(re.compile(r"/accounts/2fa/$"))
    page.goto(f"{live_server.url}/accounts/2fa/totp/activate/")
    secret = page.locator("#authenticator_secret").input_value()
    code, counter = app_code(secret)
    page.fill('input[name="code"]', code)
    page.press('input[name="code"]', "Enter")

    # Enrolled: the app code just typed counts as this session's second factor, and the dashboard opens.
    page.goto(f"{live_server.url}/home/")
    expect(page.locator("h1")).to_have_text("Dashboard")

    # Next time the colleague signs in as anyone does: password, then a fresh app code.
    page.locator("header.site").get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.fill('input[name="login"]', NEW_EMAIL)
    page.fill('input[name="password"]', NEW_PASSWORD)
    page.press('input[name="password"]', "Enter")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    code, _counter = app_code(secret, after_counter=counter)
    page.fill('input[name="code"]', code)
    page.press('input[name="code"]', "Enter")
    expect(page).to_have_url(re.compile(r"/home/$"))
    expect(page.locator("h1")).to_have_text("Dashboard")

    user = User.objects.get(email=NEW_EMAIL)
    assert Membership.objects.get(user=user, organisation=organisation).role == Role.CASEWORKER
    assert user.authenticator_set.filter(type="totp").exists()
    assert Invitation.objects.get(email=NEW_EMAIL).accepted_by == user
    assert {"invitation.create", "invitation.accept"} <= set(AuditEntry.objects.values_list("action", flat=True))
    page.goto(link)  # the link is spent
    expect(page.locator("h1")).to_have_text("This invitation link is not valid")
