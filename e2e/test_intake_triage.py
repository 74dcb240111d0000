"""Intake triage in the browser: a caseworker sees the waiting submissions in the navigation, opens the
queue (the detained person first), opens a submission, converts it into a person and a case from the
prefilled form with the decision's service date, and finds the appeal deadline on the new case page."""

from __future__ import annotations

import datetime
import re

import holidays
import pytest
from django.utils import translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from asylon.accounts.models import Role
from asylon.cases.models import Case, Deadline
from asylon.evidence.models import Document
from asylon.intake.models import IntakeSubmission, SubmissionStatus
from asylon.intake.tests.triage_helpers import png_upload, submitted
from e2e.conftest import sign_in_context
from tests.factories import OrganisationFactory, staff

pytestmark = [pytest.mark.sqlite_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def appeal_due(served: datetime.date) -> datetime.date:
    """14 days from service, moved to the next Lithuanian working day (the legal rule's data)."""
    due = served + datetime.timedelta(days=14)
    calendar = holidays.country_holidays("LT", years=range(due.year, due.year + 2))
    while due.weekday() >= 5 or due in calendar:
        due += datetime.timedelta(days=1)
    return due


def test_open_the_queue_convert_a_submission_and_see_its_deadline(live_server, page, reference_data):
    organisation = OrganisationFactory()
    caseworker = staff(organisation, Role.CASEWORKER)
    submitted(organisation, name="Ivan Plain", situations=["summons_issued"], days_ago=3)
    submitted(
        organisation,
        name="Сяргей Іванавіч Ковалёў",
        contact="Signal: +370 600 00002",
        situations=["temp_residence_refused", "detention"],
        text="They refused my permit and I am held at the registration centre.",
        files=[png_upload("refusal.png")],
    )
    base = live_server.url
    sign_in_context(page.context, base, caseworker)

    page.goto(f"{base}/home/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Intake (2 waiting)").click()
    expect(page).to_have_url(re.compile(r"/intake/$"))
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("detention")
    expect(rows.first).to_contain_text("Сяргей Іванавіч Ковалёў")

    rows.first.get_by_role("link", name="Сяргей Іванавіч Ковалёў").click()
    expect(page.locator("h1")).to_contain_text("Сяргей Іванавіч Ковалёў")
    expect(page.locator("main")).to_contain_text("registration centre")
    expect(page.locator("main")).to_contain_text("refusal.png")

    page.get_by_role("link", name="Convert into a person and a case").click()
    expect(page.locator('input[name="given_name"]')).to_have_value("Сяргей")
    expect(page.locator('input[name="patronymic"]')).to_have_value("Іванавіч")
    expect(page.locator('input[name="family_name"]')).to_have_value("Ковалёў")
    expect(page.locator('textarea[name="contacts"]')).to_have_value("signal: +370 600 00002")
    expect(page.locator('[name="situations"][value="detention"]')).to_be_checked()
    expect(page.locator('select[name="risk"]')).to_have_value("critical")
    served = datetime.date.today() - datetime.timedelta(days=3)
    page.select_option('select[name="decision_type"]', "residence_permit_temporary")
    page.select_option('select[name="decision_maker"]', "migration_department")
    page.fill('input[name="served_on"]', served.isoformat())
    page.get_by_role("button", name="Create the person and the case").click()

    expect(page).to_have_url(re.compile(r"/cases/[0-9a-f-]{36}/$"))
    case = Case.objects.get(organisation=organisation)
    assert page.url.endswith(f"/cases/{case.pk}/")
    due = appeal_due(served)
    with translation.override("en"):
        shown_due = date_format(due, "DATE_FORMAT")
    deadlines = page.locator("section[aria-labelledby=deadlines-heading] tbody tr")
    expect(deadlines.first).to_contain_text(shown_due)
    expect(deadlines.first).to_contain_text("Appeal against a decision on a temporary residence permit")
    expect(page.locator("section[aria-labelledby=parties-heading]")).to_contain_text("Ковалёў")
    assert Deadline.objects.get(case=case, decision__isnull=False).due_on == due
    assert Document.objects.filter(case=case).count() == 1
    assert IntakeSubmission.objects.filter(status=SubmissionStatus.CONVERTED).count() == 1

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Intake (1 waiting)").click()
    expect(page.locator("main table tbody tr")).to_have_count(1)
    expect(page.locator("main table")).to_contain_text("Ivan Plain")
