"""A caseworker's day in the browser: signing in with an app code, finding a person in another spelling,
recording a decision and seeing its deadline, uploading and downloading a document, switching language."""

from __future__ import annotations

import datetime
import hashlib
import re

import holidays
import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.utils import translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from asylon.cases.models import Deadline, Decision
from asylon.evidence.models import Document
from e2e.casework_data import CLIENT_LATIN, build_casework, png_bytes
from e2e.conftest import sign_in_context
from tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET, enrol_second_factor

pytestmark = [pytest.mark.sqlite_only, pytest.mark.django_db(transaction=True)]

CYRILLIC = re.compile(r"[\u0400-\u04FF]")


def english_date(day: datetime.date) -> str:
    with translation.override("en"):
        return date_format(day, "DATE_FORMAT")


def current_totp_code() -> str:
    """The code an authenticator app would show now for the test secret (allauth's own computation)."""
    import time

    period = mfa_settings.TOTP_PERIOD
    if period - time.time() % period < 3:  # too close to the next period to type it in time
        time.sleep(period - time.time() % period + 0.1)
    return format_hotp_value(hotp_value(TEST_TOTP_SECRET, int(time.time()) // period))


@pytest.fixture
def casework(reference_data):
    return build_casework(with_decision=False, with_document=False, other_cases=3)


@pytest.fixture
def signed_in(page, live_server, casework):
    """The page, signed in as the case's caseworker."""
    sign_in_context(page.context, live_server.url, casework.caseworker)
    return page


def test_sign_in_with_password_and_authenticator_app_code(live_server, page, casework):
    enrol_second_factor(casework.caseworker, "totp")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill('input[name="login"]', casework.caseworker.email)
    page.fill('input[name="password"]', TEST_PASSWORD)
    page.press('input[name="password"]', "Enter")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.fill('input[name="code"]', current_totp_code())
    page.press('input[name="code"]', "Enter")
    expect(page).to_have_url(re.compile(r"/home/$"))
    expect(page.locator("h1")).to_have_text("Dashboard")
    expect(page.locator("header.site nav.main-nav")).to_contain_text("Cases")


def test_find_a_person_by_a_transliterated_name(live_server, signed_in, casework):
    page = signed_in
    page.goto(f"{live_server.url}/people/")
    page.fill("#person-query", CLIENT_LATIN)
    page.press("#person-query", "Enter")
    results = page.locator("table tbody tr")
    expect(results).to_have_count(1)
    assert "Siarhei" not in page.url and "Ivanou" not in page.url  # a typed name never reaches an address
    expect(results.first).to_contain_text("Сяргей")
    expect(results.first).to_contain_text(casework.case.reference)
    results.first.get_by_role("link", name=re.compile("Сяргей")).click()
    expect(page).to_have_url(re.compile(rf"/people/{casework.client.pk}/$"))
    expect(page.locator("h1")).to_contain_text("Іваноў")

    page.goto(f"{live_server.url}/cases/")
    page.fill('input[name="q"]', CLIENT_LATIN)
    page.press('input[name="q"]', "Enter")
    rows = page.locator("#case-results tbody tr")
    expect(rows).to_have_count(1)
    assert "Siarhei" not in page.url and "Ivanou" not in page.url
    expect(rows.first).to_contain_text(casework.case.reference)
    expect(rows.first).to_contain_text("Іваноў")

    rows.first.get_by_role("link", name=casework.case.reference).click()
    expect(page).to_have_url(re.compile(rf"/cases/{casework.case.pk}/$"))
    page.locator("section[aria-labelledby=parties-heading]").get_by_role("link", name=re.compile("Іваноў")).click()
    expect(page).to_have_url(re.compile(rf"/people/{casework.client.pk}/$"))
    expect(page.locator("h1")).to_contain_text("Сяргей")


def lithuanian_deadline(served: datetime.date, days: int) -> datetime.date:
    """The appeal deadline as Civil Code Art. 1.121 counts it: the next working day if it ends on a day off."""
    due = served + datetime.timedelta(days=days)
    calendar = holidays.country_holidays("LT", years=range(due.year, due.year + 2))
    while due.weekday() >= 5 or due in calendar:
        due += datetime.timedelta(days=1)
    return due


def test_a_decision_added_through_the_form_shows_its_deadline_on_the_case_page_and_dashboard(
    live_server, signed_in, casework
):
    page = signed_in
    today = datetime.date.today()
    # Served twelve days ago: the fourteen-day appeal period ends within the dashboard's week.
    served = today - datetime.timedelta(days=12)
    due = lithuanian_deadline(served, 14)

    page.goto(f"{live_server.url}/cases/{casework.case.pk}/")
    # Dates at the precision they are known: a month-only summons is not shown as the 1st.
    timeline = page.locator("ol.timeline")
    expect(timeline.locator("li.timeline-event .when").first).to_have_text("July 2021")
    expect(timeline).not_to_contain_text("July 1, 2021")
    page.get_by_role("link", name="Add decision").click()
    expect(page.locator("h1")).to_be_visible()
    page.select_option('select[name="decision_type"]', "residence_permit_temporary")
    page.select_option('select[name="decision_maker"]', "migration_department")
    page.select_option('select[name="outcome"]', "refuse")
    page.locator('[name="grounds"][value="national_security_threat_unspecified"]').check()
    page.fill('input[name="decided_on"]', (served - datetime.timedelta(days=2)).isoformat())
    page.fill('input[name="served_on"]', served.isoformat())
    page.fill('input[name="reference_number"]', "No. 7/2-19")
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(rf"/cases/{casework.case.pk}/$"))
    decision = Decision.objects.get(case=casework.case)
    deadline = Deadline.objects.get(decision=decision)
    assert deadline.due_on == due
    deadlines = page.locator("section[aria-labelledby=deadlines-heading] tbody tr")
    expect(deadlines).to_have_count(1)
    expect(deadlines.first).to_contain_text(english_date(due))
    expect(deadlines.first).to_contain_text("Appeal against a decision on a temporary residence permit")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    expect(page).to_have_url(re.compile(r"/home/$"))
    mine = page.locator("section[aria-labelledby=my-deadlines-heading]")
    expect(mine).to_contain_text(casework.case.reference)
    expect(mine).to_contain_text(english_date(due))


def test_upload_a_document_and_download_the_stored_bytes(live_server, signed_in, casework, tmp_path):
    page = signed_in
    scan = tmp_path / "residence-decision.png"
    scan.write_bytes(png_bytes(seed=7, author="Сяргей Іваноў"))

    page.goto(f"{live_server.url}/cases/{casework.case.pk}/")
    page.get_by_role("link", name="Upload document").click()
    page.set_input_files('input[name="file"]', str(scan))
    page.fill('textarea[name="description"]', "Decision letter, page 1")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/cases/{casework.case.pk}/$"))
    expect(page.locator("section[aria-labelledby=documents-heading]")).to_contain_text("residence-decision.png")

    document = Document.objects.get(case=casework.case)
    page.goto(f"{live_server.url}/cases/{casework.case.pk}/documents/{document.pk}/")
    stored_digest = page.locator("dt:has-text('SHA-256 as stored') + dd code").inner_text().strip()
    assert stored_digest == document.sha256
    # The author's name was stripped at intake: what is stored differs from what was received.
    assert document.received_sha256 == hashlib.sha256(scan.read_bytes()).hexdigest() != stored_digest

    with page.expect_download() as download_info:
        page.locator("main").get_by_role("link", name="Download").click()
    download = download_info.value
    assert download.suggested_filename == "residence-decision.png"
    downloaded = tmp_path / "downloaded.png"
    download.save_as(downloaded)
    assert hashlib.sha256(downloaded.read_bytes()).hexdigest() == stored_digest

    page.reload()
    expect(page.locator("table").last).to_contain_text("downloaded")


@pytest.mark.parametrize("language", ["be", "ru"])
def test_switch_language_through_the_header_links(live_server, signed_in, casework, language):
    page = signed_in
    page.goto(f"{live_server.url}/cases/{casework.case.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("navigation", name="Language").locator(f'a[hreflang="{language}"]').click()

    expect(page).to_have_url(re.compile(rf"/{language}/cases/{casework.case.pk}/$"))
    expect(page.locator("html")).to_have_attribute("lang", language)
    cases_link = page.locator("header.site nav.main-nav a").nth(1)
    assert cases_link.get_attribute("href") == f"/{language}/cases/"
    assert CYRILLIC.search(cases_link.inner_text()), f"the Cases link is not translated into {language}"
