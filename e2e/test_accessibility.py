"""axe-core (WCAG 2.0, 2.1 and 2.2, levels A and AA) finds no serious or critical violation on the main pages."""

from __future__ import annotations

import json
import os
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from asylon.accounts.models import Role
from asylon.cases.services.case import case_member_add
from e2e.casework_data import CLIENT_LATIN, build_casework
from e2e.conftest import TIMEOUT_MS, axe_violations, sign_in_context
from tests.factories import staff

pytestmark = [pytest.mark.sqlite_only, pytest.mark.django_db(transaction=True)]


IMPACTS = tuple(os.environ.get("ASYLON_AXE_IMPACTS", "serious,critical").split(","))


def scan(page: Any, url: str, found: dict[str, list[dict[str, Any]]], shows: str = "", search: str = "") -> None:
    """Open the page (and search there), check it is the page asked for, showing what it should; keep its violations."""
    response = page.goto(url)
    page.wait_for_load_state("load")
    # The page itself, not a sign-in or re-authentication page it could have sent us to.
    assert response is not None and response.status == 200 and page.url == url, (url, page.url)
    if search:
        # Searches post (a name never goes into an address) and come back as ?search=<sealed token>.
        page.locator('main form[role=search] input[name="q"]').fill(search)
        page.locator('main form[role=search] input[name="q"]').press("Enter")
        expect(page).to_have_url(re.compile(r"[?&]search="))
    assert shows in page.locator("main").inner_text(), (url, shows)
    violations = axe_violations(page, impacts=IMPACTS)
    if violations:
        found[url + (" (searched)" if search else "")] = violations


def report(found: dict[str, list[dict[str, Any]]]) -> str:
    lines = []
    for url, violations in found.items():
        lines.append(url)
        for violation in violations:
            lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']}")
            lines.extend(f"    {json.dumps(target, ensure_ascii=False)}" for target in violation["targets"])
    return "\n".join(lines)


def test_the_main_pages_have_no_serious_or_critical_violations(live_server, browser, reference_data):
    work = build_casework()
    base = live_server.url
    case = f"{base}/cases/{work.case.pk}"
    found: dict[str, list[dict[str, Any]]] = {}

    signed_out = browser.new_context(locale="en-GB")
    signed_out.set_default_timeout(TIMEOUT_MS)
    scan(signed_out.new_page(), f"{base}/accounts/login/", found)
    signed_out.close()

    reference = work.case.reference
    viewer = staff(work.organisation, Role.VIEWER)
    case_member_add(actor=work.org_admin, case=work.case, user=viewer)
    for user, pages in (
        (
            work.caseworker,
            [
                (f"{base}/home/", reference),  # its deadline and task
                (f"{base}/cases/", reference),
                (f"{base}/cases/", reference, CLIENT_LATIN),
                (f"{case}/", "Appeal against a decision on a temporary residence permit"),
                (f"{base}/people/{work.client.pk}/", "Іваноў"),
                (f"{base}/people/", "Іваноў", CLIENT_LATIN),
                (f"{case}/events/new/", ""),
                (f"{case}/decisions/new/", ""),
                (f"{case}/documents/new/", ""),
                (f"{case}/documents/{work.document.pk}/", "decision-scan.png"),
                (f"{base}/be/cases/{work.case.pk}/", reference),  # in Belarusian
                (f"{base}/statistics/", "Statistics"),  # charts (inline SVG) and their tables
            ],
        ),
        (work.lawyer, [(f"{case}/", "appeal strategy")]),  # with the privileged note
        (work.org_admin, [(f"{base}/audit/", "")]),
        (viewer, [(f"{case}/", "name withheld")]),
    ):
        context = browser.new_context(locale="en-GB")
        context.set_default_timeout(TIMEOUT_MS)
        sign_in_context(context, base, user)
        page = context.new_page()
        for url, shows, *search in pages:
            scan(page, url, found, shows, *search)
        context.close()

    assert not found, "axe-core found serious or critical violations:\n" + report(found)


def test_a_form_with_errors_has_no_serious_or_critical_violations(live_server, page, reference_data):
    work = build_casework(with_decision=False, with_document=False, other_cases=0)
    sign_in_context(page.context, live_server.url, work.caseworker)
    page.goto(f"{live_server.url}/cases/{work.case.pk}/decisions/new/")
    page.fill('input[name="decided_on"]', "2024-03-04")
    page.fill('input[name="served_on"]', "2024-03-01")  # served before it was decided: refused
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector(".form-errors")
    violations = axe_violations(page)
    assert not violations, report({"decision form with errors": violations})


def test_the_scan_itself_finds_a_violation(page):
    """The harness is live: an image without a text alternative on an unlabelled page is reported."""
    page.set_content('<!doctype html><html><head><title>t</title></head><body><img src="data:,"></body></html>')
    assert "image-alt" in {violation["id"] for violation in axe_violations(page)}
