"""An analyst's reporting in the browser: the statistics page's charts, a report written with figure
directives, previewed, saved, kept as a version, and downloaded as a PDF whose text carries every
figure and footnote. Screenshots of the statistics and report pages go to docs/screenshots/ with
ASYLON_SCREENSHOTS=1 (`make screenshots`)."""

from __future__ import annotations

import re
import subprocess

import pytest
from playwright.sync_api import expect

from asylon.accounts.models import Role
from asylon.ops.synth import synthesise
from asylon.reports.models import ReportVersion
from e2e.conftest import TIMEOUT_MS, sign_in_context
from e2e.test_screenshots import VIEWPORT, screenshot_dir  # noqa: F401 (the fixture)
from tests.factories import OrganisationFactory, staff

pytestmark = [pytest.mark.sqlite_only, pytest.mark.django_db(transaction=True)]

REPORT_TEXT = """# Summonses

Clients summoned to the army: {{count measure=event of=summons_issued}}.

{{chart measure=event of=summons_issued by=citizenship}}
"""


def test_an_analyst_writes_previews_saves_and_downloads_a_report(
    live_server, browser, reference_data, screenshot_dir, tmp_path  # noqa: F811
):
    organisation = OrganisationFactory()
    synthesise(organisation=organisation, persons=60, seed=23)
    analyst = staff(organisation, Role.ANALYST)
    base = live_server.url
    context = browser.new_context(locale="en-GB", viewport=VIEWPORT, device_scale_factor=1, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    sign_in_context(context, base, analyst)
    page = context.new_page()

    page.goto(f"{base}/statistics/")
    expect(page.locator("main svg").first).to_be_visible()
    expect(page.locator("main")).to_contain_text("Counts below 5 people are suppressed")
    page.screenshot(path=str(screenshot_dir / "statistics.png"))

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="New report").click()
    page.get_by_label("Title").fill("Summonses")
    page.get_by_label("Text (Markdown with figure directives)").fill(REPORT_TEXT)
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("main")
    expect(preview).to_contain_text("Preview (not saved)")
    expect(preview).to_contain_text("People with an event (Summons issued)")
    shown = re.search(r"summoned to the army: ([\d,]+)", preview.inner_text())
    assert shown, preview.inner_text()[:1500]
    count = shown.group(1)

    page.get_by_role("link", name="Cancel").click()
    page.get_by_role("link", name="Saved versions").click()
    page.get_by_role("button", name="Save as a new version").click()
    expect(page.locator("main")).to_contain_text("1")
    assert ReportVersion.objects.filter(report__title="Summonses", number=1).exists()

    page.get_by_role("link", name="Summonses").first.click()
    expect(page.locator("main svg").first).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "report-page.png"))
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    pdf = tmp_path / "report.pdf"
    download_info.value.save_as(pdf)
    # pdftotext (poppler-utils, a `make deps` package) on the PDF this test downloaded.
    command = ["pdftotext", "-enc", "UTF-8", str(pdf), "-"]
    text = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    assert "Summonses" in text and count in text, text
    assert "People with an event" in text and "Counts below 5 people are suppressed" in text
    context.close()
