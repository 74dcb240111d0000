"""Importing in the browser: a CSV with a few bad rows is uploaded, mapped with a saved profile, checked
(the problems listed by row, column and reason), imported without its bad rows, whose error file
downloads; the imported person is then found by name in another script. An XLSX workbook goes the
same way and is imported whole, with JavaScript and without."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from asylon.accounts.models import Role
from asylon.ops.models import ImportProfile, ImportRun, ImportStatus
from asylon.people.models import Person
from e2e.conftest import TIMEOUT_MS, axe_violations, sign_in_context
from tests.factories import OrganisationFactory, staff

pytestmark = [pytest.mark.sqlite_only, pytest.mark.django_db(transaction=True)]

# Headers no suggestion knows, so the mapping comes from the saved profile.
HEADERS = ["Кліент: прозвішча", "Кліент: імя", "Нарадзіўся", "Справа", "Што здарылася", "Калі"]
PROFILE = {
    "Кліент: прозвішча": "person.family_name",
    "Кліент: імя": "person.given_name",
    "Нарадзіўся": "person.birth_date",
    "Справа": "case.reference",
    "Што здарылася": "event.type",
    "Калі": "event.date",
}
ROWS = [
    ["Іваноў", "Сяргей", "17.08.1990", "IMP-7", "summons_issued", "17.08.2023"],
    ["Petrenko", "Olena", "1985", "IMP-8", "Summons issued", "Aug 2023"],
    ["Kazlou", "Aliaksandr", "31.02.1991", "IMP-9", "summons_issued", "2023"],  # no such day
    ["Navumenka", "Ihar", "1992", "IMP-9", "a rumour", "2023"],  # no such event type
]


def sheet_csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def sheet_xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Фамилия", "Имя", "Год рождения"])
    sheet.append(["Навумчык", "Алег", 1979])
    sheet.append(["Шыдлоўская", "Вольга", 1988])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def journey(live_server, browser, reference_data):
    organisation = OrganisationFactory()
    caseworker = staff(organisation, Role.CASEWORKER)
    ImportProfile.objects.create(organisation=organisation, name="Register 2023", mapping=PROFILE)
    context = browser.new_context(locale="en-GB", accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    sign_in_context(context, live_server.url, caseworker)
    yield context.new_page(), organisation
    context.close()


def test_a_csv_with_bad_rows_is_checked_imported_without_them_and_found_in_another_script(
    journey, live_server, tmp_path
):
    page, organisation = journey
    page.goto(f"{live_server.url}/home/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Import").click()
    expect(page.locator("h1")).to_have_text("Import spreadsheets")
    assert not axe_violations(page)
    upload = tmp_path / "register.csv"
    upload.write_bytes(sheet_csv(ROWS))
    page.get_by_label("Spreadsheet").set_input_files(str(upload))
    page.get_by_role("button", name="Upload").click()

    expect(page).to_have_url(re.compile(r"/imports/[0-9a-f-]+/map/$"))
    expect(page.locator("main")).to_contain_text("Сяргей")  # the first values of each column
    assert not axe_violations(page)
    page.get_by_label("Fill in from a saved profile").select_option(label="Register 2023")
    page.get_by_role("button", name="Use this profile").click()
    expect(page.get_by_label("Кліент: прозвішча")).to_have_value("person.family_name")
    expect(page.get_by_label("Калі")).to_have_value("event.date")
    page.get_by_role("button", name="Check the file").click()

    expect(page).to_have_url(re.compile(r"/imports/[0-9a-f-]+/$"))
    main = page.locator("main")
    expect(main).to_contain_text("Problems in 2 rows")
    problems = page.locator("section[aria-labelledby=problems-heading] tbody tr")
    expect(problems).to_have_count(2)
    expect(problems.nth(0)).to_contain_text("4")
    expect(problems.nth(0)).to_contain_text("Нарадзіўся")
    expect(problems.nth(1)).to_contain_text("5")
    expect(problems.nth(1)).to_contain_text("Што здарылася")
    assert all(problems.nth(index).locator("td").nth(2).inner_text().strip() for index in range(2))
    assert Person.objects.filter(organisation=organisation).count() == 0  # the check wrote nothing
    expect(page.get_by_role("button", name="Import all rows")).to_have_count(0)
    assert not axe_violations(page)

    page.get_by_role("button", name=re.compile("Import the valid rows")).click()
    expect(main).to_contain_text("Imported")
    run = ImportRun.objects.get(organisation=organisation)
    assert run.status == ImportStatus.DONE and Person.objects.filter(organisation=organisation).count() == 2
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("rows left out")).click()
    saved = tmp_path / "errors.csv"
    download_info.value.save_as(saved)
    lines = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    assert lines[0][: len(HEADERS)] == HEADERS
    assert [line[0] for line in lines[1:]] == ["Kazlou", "Navumenka"]
    assert all(line[-1] for line in lines[1:])  # each with its reason

    page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    page.fill("#person-query", "Siarhei Ivanou")
    page.press("#person-query", "Enter")
    results = page.locator("table tbody tr")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Сяргей")
    expect(results.first).to_contain_text("IMP-7")


def test_an_xlsx_workbook_is_imported_whole(journey, live_server, tmp_path):
    page, organisation = journey
    page.goto(f"{live_server.url}/imports/")
    upload = tmp_path / "clients.xlsx"
    upload.write_bytes(sheet_xlsx())
    page.get_by_label("Spreadsheet").set_input_files(str(upload))
    page.get_by_role("button", name="Upload").click()
    expect(page).to_have_url(re.compile(r"/imports/[0-9a-f-]+/map/$"))
    # Known headers are suggested.
    expect(page.get_by_label("Фамилия")).to_have_value("person.family_name")
    expect(page.get_by_label("Год рождения")).to_have_value("person.birth_year")
    page.get_by_label("Save this mapping as a profile named").fill("Workbook")
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("main")).to_contain_text("Would be created")
    expect(page.locator("section[aria-labelledby=problems-heading]")).to_have_count(0)
    page.get_by_role("button", name="Import all rows").click()
    expect(page.locator("main")).to_contain_text("Imported")
    persons = page.locator("section[aria-labelledby=outcome-heading] tbody tr").first
    expect(persons).to_contain_text("2")
    run = ImportRun.objects.get(organisation=organisation)
    assert (run.file_format, run.status, run.error_file_stored) == ("xlsx", ImportStatus.DONE, False)
    assert ImportProfile.objects.filter(organisation=organisation, name="Workbook").exists()
    assert Person.objects.filter(organisation=organisation).count() == 2


def test_the_import_works_without_javascript(live_server, browser, reference_data, tmp_path):
    organisation = OrganisationFactory()
    caseworker = staff(organisation, Role.CASEWORKER)
    context = browser.new_context(locale="en-GB", java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    sign_in_context(context, live_server.url, caseworker)
    page = context.new_page()
    page.goto(f"{live_server.url}/imports/")
    upload = tmp_path / "clients.xlsx"
    upload.write_bytes(sheet_xlsx())
    page.get_by_label("Spreadsheet").set_input_files(str(upload))
    page.get_by_role("button", name="Upload").click()
    expect(page).to_have_url(re.compile(r"/imports/[0-9a-f-]+/map/$"))
    page.get_by_label("Фамилия").select_option("person.given_name")
    page.get_by_label("Имя").select_option("person.given_name")
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("main")).to_contain_text("is already filled from the column “Фамилия”")
    page.get_by_label("Фамилия").select_option("person.family_name")
    page.get_by_role("button", name="Check the file").click()
    expect(page).to_have_url(re.compile(r"/imports/[0-9a-f-]+/$"))
    page.get_by_role("button", name="Import all rows").click()
    expect(page.locator("main")).to_contain_text("Imported")
    assert Person.objects.filter(organisation=organisation).count() == 2
    context.close()
