"""Exporting in the browser: the export page asks who you are again, then an XLSX export encrypted to a
passphrase downloads as an age file that opens (with the passphrase) into a workbook of the caseworker's case."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from pyrage import passphrase as age_passphrase

from asylon.accounts.models import Role
from asylon.audit.models import AuditEntry
from e2e.conftest import TIMEOUT_MS, axe_violations, sign_in_context
from tests.factories import TEST_PASSWORD, OrganisationFactory, case_with_member, person_on_case, staff

pytestmark = [pytest.mark.sqlite_only, pytest.mark.django_db(transaction=True)]

PASSPHRASE = "lantern orchard velvet quarry"  # noqa: S105 (a test passphrase)


def test_a_caseworker_re_authenticates_and_exports_an_encrypted_workbook(live_server, browser, reference_data):
    organisation = OrganisationFactory()
    caseworker = staff(organisation, Role.CASEWORKER)
    case = case_with_member(organisation, caseworker)
    person_on_case(case, given_name="Аляксей", family_name="=HYPERLINK(1)")
    case_with_member(organisation)  # a case the caseworker is not a member of
    base = live_server.url
    context = browser.new_context(locale="en-GB", accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    sign_in_context(context, base, caseworker)
    page = context.new_page()

    page.goto(f"{base}/home/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Export").click()
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    page.fill('input[name="password"]', TEST_PASSWORD)
    page.press('input[name="password"]', "Enter")
    expect(page).to_have_url(re.compile(r"/exports/$"))
    assert not axe_violations(page), "the export form meets WCAG 2.2 AA (serious and critical rules)"

    page.get_by_label("Excel workbook (one sheet per table)").check()
    page.get_by_label("with a passphrase").check()
    page.fill('input[name="passphrase"]', PASSPHRASE)
    page.fill('input[name="passphrase_again"]', PASSPHRASE)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Export and download").click()
    download = download_info.value
    assert re.fullmatch(r"asylon-export-\d{8}-\d{6}\.xlsx\.age", download.suggested_filename)
    sealed = Path(download.path()).read_bytes()
    assert sealed.startswith(b"age-encryption.org/v1\n")

    workbook = load_workbook(io.BytesIO(age_passphrase.decrypt(sealed, PASSPHRASE)))
    cases = workbook["cases"]
    assert [row[0].value for row in cases.iter_rows(min_row=2)] == [str(case.pk)]
    persons = workbook["persons"]
    header = [cell.value for cell in persons[1]]
    family = persons.cell(row=2, column=header.index("family_name") + 1)
    assert family.value == "'=HYPERLINK(1)" and family.data_type == "s"
    assert AuditEntry.objects.filter(action="export.create", actor=caseworker).count() == 1
    context.close()
