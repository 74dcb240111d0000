"""Two admins reset a colleague's lost second factor through the console: the first asks on the colleague's
page, the second approves from the security page; the pages have no serious accessibility violation."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from asylon.accounts.models import Role
from asylon.orgsecurity.models import FactorResetRequest, FactorResetStatus
from e2e.conftest import axe_violations
from e2e.test_invitation_journey import admin_page
from tests.factories import OrganisationFactory, enrol_second_factor, staff

pytestmark = [pytest.mark.sqlite_only, pytest.mark.django_db(transaction=True)]


def test_one_admin_asks_another_approves(live_server, browser):
    organisation = OrganisationFactory(name="Our House")
    first, second = staff(organisation, Role.ORG_ADMIN), staff(organisation, Role.ORG_ADMIN)
    colleague = staff(organisation)
    enrol_second_factor(colleague, Authenticator.Type.TOTP)
    base = f"{live_server.url}/org/{organisation.slug}"

    asking = admin_page(browser, live_server, first)
    asking.goto(f"{base}/users/{colleague.pk}/")
    asking.get_by_role("link", name="Reset the second factor (a second admin approves)").click()
    expect(asking.locator("h1")).to_contain_text(f"Reset the second factor of {colleague.email}")
    assert not axe_violations(asking)
    asking.check('input[name="reason"][value="lost"]')
    asking.check('input[name="confirm"]')
    asking.get_by_role("button", name="Ask a second admin to approve").click()
    expect(asking.locator("main")).to_contain_text("waits for a second admin")
    expect(asking.get_by_role("button", name="Withdraw the request")).to_be_visible()
    expect(asking.get_by_role("button", name="Approve the reset")).to_have_count(0)
    assert Authenticator.objects.filter(user=colleague).exists()

    approving = admin_page(browser, live_server, second)
    approving.goto(f"{base}/security/")
    assert not axe_violations(approving)
    approving.get_by_role("link", name="Open the request").click()
    assert not axe_violations(approving)
    approving.get_by_role("button", name="Approve the reset").click()
    expect(approving.locator("main")).to_contain_text("Approved")
    assert not Authenticator.objects.filter(user=colleague).exists()
    assert FactorResetRequest.objects.get(user=colleague).status == FactorResetStatus.APPROVED

    asking.goto(f"{base}/users/{colleague.pk}/revoke/")
    assert not axe_violations(asking)
    asking.goto(f"{base}/users/{colleague.pk}/device-seized/")
    assert not axe_violations(asking)
