"""Screenshots of the main pages for docs/user-guide.md, at 1280x900, from seeded synthetic data.

They are written to docs/screenshots/ only with ASYLON_SCREENSHOTS=1 (`make screenshots`); otherwise
into a temporary directory, so a test run never changes the working tree.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from asylon.accounts.models import Role
from asylon.cases.services.case import case_member_add
from e2e.casework_data import CLIENT_LATIN, build_casework, png_bytes
from e2e.conftest import TIMEOUT_MS, sign_in_context
from tests.factories import staff

pytestmark = [pytest.mark.sqlite_only, pytest.mark.django_db(transaction=True)]

VIEWPORT = {"width": 1280, "height": 900}
DOCS_SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


@pytest.fixture
def screenshot_dir(tmp_path: Path) -> Path:
    if os.environ.get("ASYLON_SCREENSHOTS") == "1":
        DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        return DOCS_SCREENSHOTS
    return tmp_path


def test_screenshots_of_the_main_pages(live_server, browser, reference_data, screenshot_dir, tmp_path):
    from PIL import Image

    work = build_casework()
    base = live_server.url
    case = f"{base}/cases/{work.case.pk}"
    context = browser.new_context(locale="en-GB", viewport=VIEWPORT, device_scale_factor=1)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()

    def shoot(name: str, url: str, *, scroll_to: str = "", fill: Any = None, search: str = "") -> None:
        page.goto(url)
        page.wait_for_load_state("load")
        if search:  # searches post; the results come back under a sealed ?search= token
            page.locator('main form[role=search] input[name="q"]').fill(search)
            page.locator('main form[role=search] input[name="q"]').press("Enter")
            expect(page).to_have_url(re.compile(r"[?&]search="))
            page.evaluate("document.activeElement && document.activeElement.blur()")
        if fill:
            fill()
            page.evaluate("document.activeElement && document.activeElement.blur()")
        if scroll_to:
            page.evaluate("selector => document.querySelector(selector).scrollIntoView()", scroll_to)
        page.screenshot(path=str(screenshot_dir / f"{name}.png"))

    def fill_decision() -> None:
        page.select_option('select[name="outcome"]', "refuse")
        for code in ("national_security_threat_unspecified", "past_compulsory_military_service"):
            page.locator(f'[name="grounds"][value="{code}"]').check()

    def fill_upload() -> None:
        upload = tmp_path / "upload"
        upload.mkdir(exist_ok=True)
        (upload / "appeal-draft.png").write_bytes(png_bytes(seed=3))
        page.set_input_files('input[name="file"]', str(upload / "appeal-draft.png"))
        page.fill('textarea[name="description"]', "Draft appeal, signed by the client")

    shoot("login", f"{base}/accounts/login/")
    sign_in_context(context, base, work.caseworker)
    shoot("dashboard", f"{base}/home/")
    shoot("case-list", f"{base}/cases/")
    shoot("case-list-search", f"{base}/cases/", search=CLIENT_LATIN)
    shoot("people-search", f"{base}/people/", search=CLIENT_LATIN)
    shoot("person-page", f"{base}/people/{work.client.pk}/")
    shoot("case-page", f"{case}/")
    shoot("case-timeline", f"{case}/", scroll_to="#timeline-heading")
    shoot("case-deadlines", f"{case}/", scroll_to="#deadlines-heading")
    shoot("decision-form", f"{case}/decisions/new/", fill=fill_decision)
    shoot("event-form", f"{case}/events/new/")
    shoot("document-upload", f"{case}/documents/new/", fill=fill_upload)
    shoot("document-detail", f"{case}/documents/{work.document.pk}/")
    page.goto(f"{case}/")
    page.get_by_role("navigation", name="Language").locator('a[hreflang="be"]').click()
    expect(page).to_have_url(re.compile(r"/be/cases/"))
    page.screenshot(path=str(screenshot_dir / "case-page-be.png"))
    context.close()

    # What a viewer (read-only, internal clearance) sees of the same case: no names, no downloads.
    viewer = staff(work.organisation, Role.VIEWER, display_name="Jonas Vaitkus")
    case_member_add(actor=work.org_admin, case=work.case, user=viewer)
    context = browser.new_context(locale="en-GB", viewport=VIEWPORT, device_scale_factor=1)
    context.set_default_timeout(TIMEOUT_MS)
    sign_in_context(context, base, viewer)
    page = context.new_page()
    shoot("case-page-viewer", f"{case}/", scroll_to="#parties-heading")
    context.close()

    taken = sorted(screenshot_dir.glob("*.png"))
    assert len(taken) >= 15
    for path in taken:
        with Image.open(path) as image:
            assert image.size == (1280, 900), path.name
