"""The writers: CSV zip, XLSX, JSON, the ESF shape (against its schema) and the Uwazi CSV files."""

from __future__ import annotations

import csv
import datetime
import io
import json

import jsonschema
import pytest
from openpyxl import load_workbook

from asylon.accounts.models import Role
from asylon.ops.exports import esf as esf_module
from asylon.ops.exports.json_nested import json_export
from asylon.ops.exports.rows import export_rows
from asylon.ops.exports.tabular import csv_zip, xlsx
from asylon.ops.exports.uwazi import uwazi_zip
from asylon.ops.selectors_exports import ExportScope

from .conftest import FORMULA, unzipped

pytestmark = pytest.mark.django_db


def rows_for(casefile, role=Role.ORG_ADMIN):
    return export_rows(user=casefile.users[role], scope=ExportScope(organisation=casefile.organisation))


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode()), "a byte order mark for Excel"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def test_csv_is_a_zip_of_one_file_per_table_with_a_header(casefile):
    data = rows_for(casefile)
    files = unzipped(csv_zip(data))
    assert set(files) == {f"{name}.csv" for name in data.tables}
    persons = read_csv(files["persons.csv"])
    assert persons[0] == data.tables["persons"].columns
    assert len(persons) == 1 + len(data.rows("persons"))


def test_csv_escapes_formulas(casefile):
    files = unzipped(csv_zip(rows_for(casefile)))
    cases = read_csv(files["cases.csv"])
    summary = cases[0].index("summary")
    assert "'" + FORMULA in [row[summary] for row in cases[1:]]
    events = read_csv(files["events.csv"])
    assert events[1][events[0].index("description")] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    persons = read_csv(files["persons.csv"])
    assert "'+SUM(A1:A9)" in [row[persons[0].index("family_name")] for row in persons[1:]]
    interventions = read_csv(files["interventions.csv"])
    assert interventions[1][interventions[0].index("description")] == "'\tTab first"
    sources = read_csv(files["sources.csv"])
    assert sources[1][sources[0].index("title")] == "'-2+3 Report"


def test_xlsx_has_one_sheet_per_table_and_formulas_stay_text(casefile):
    data = rows_for(casefile)
    workbook = load_workbook(io.BytesIO(xlsx(data)))
    assert workbook.sheetnames == list(data.tables)
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"], "no formula cell anywhere"
    texts = {cell.value for cell in cells if cell.data_type == "s"}
    assert {"'" + FORMULA, "'+SUM(A1:A9)", "'@SUM(1+1)*cmd|' /C calc'!A0", "'\tTab first", "'-2+3 Report"} <= texts
    persons = workbook["persons"]
    header = [cell.value for cell in persons[1]]
    birth_year = next(
        row[header.index("birth_year")]
        for row in persons.iter_rows(min_row=2)
        if row[0].value == str(casefile.person.pk)
    )
    assert birth_year.value == 1995 and birth_year.data_type == "n", "numbers stay numbers"


def test_xlsx_replaces_characters_xml_cannot_hold(casefile):
    casefile.own.summary = "bell\x07 and nul\x00"
    casefile.own.save()
    workbook = load_workbook(io.BytesIO(xlsx(rows_for(casefile))))
    sheet = workbook["cases"]
    header = [cell.value for cell in sheet[1]]
    assert "bell\ufffd and nul\ufffd" in [row[header.index("summary")].value for row in sheet.iter_rows(min_row=2)]


def test_json_nests_records_under_their_case(casefile):
    document = json.loads(json_export(rows_for(casefile)))
    assert document["format"] == "asylon-export" and document["version"] == 1
    own = next(case for case in document["cases"] if case["id"] == str(casefile.own.pk))
    assert own["summary"] == FORMULA, "JSON is not a spreadsheet: values stay as they are"
    assert own["events"][0]["id"] == str(casefile.event.pk) and "case_id" not in own["events"][0]
    assert own["decisions"][0]["event_id"] == str(casefile.event.pk)
    assert own["events"][0]["occurred_on"] == "2023-05-01"
    assert [party["person_id"] for party in own["parties"]] == [str(casefile.person.pk)]
    assert {person["id"] for person in document["persons"]} >= {str(casefile.person.pk)}
    assert document["sources"][0]["title"] == "-2+3 Report"


def test_json_of_a_viewer_says_which_columns_were_withheld(casefile):
    document = json.loads(json_export(rows_for(casefile, Role.VIEWER)))
    assert "given_name" in document["withheld"]["persons"]
    assert all("given_name" not in person for person in document["persons"])


@pytest.mark.parametrize("role", [Role.ORG_ADMIN, Role.LAWYER, Role.CASEWORKER, Role.VIEWER])
def test_esf_validates_against_its_schema(casefile, role):
    document = json.loads(esf_module.esf_export(rows_for(casefile, role)))
    jsonschema.Draft202012Validator(esf_module.schema(), format_checker=jsonschema.FormatChecker()).validate(document)


def test_esf_maps_cases_events_decisions_and_their_links(casefile):
    document = esf_module.esf(rows_for(casefile))
    events = {event["event_record_number"]: event for event in document["events"]}
    assert events[str(casefile.own.pk)]["event_title"] == casefile.own.reference
    acts = {act["act_record_number"]: act for act in document["acts"]}
    arrest = acts[str(casefile.event.pk)]
    assert arrest["act_kind"] == "event" and arrest["victim"] == str(casefile.person.pk)
    assert arrest["type_of_act"] == {
        "code": "arrest",
        "label": arrest["type_of_act"]["label"],
        "huridocs_code": "030101",
    }
    decision = acts[str(casefile.decision.pk)]
    assert decision["act_kind"] == "decision" and decision["victim"] == str(casefile.person.pk)
    assert decision["grounds"][0]["code"] == "national_security_threat_unspecified"
    makers = [item for item in document["involvements"] if item["act_record_number"] == str(casefile.decision.pk)]
    assert makers[0]["perpetrator"] == "term:decision_maker:migration_department"
    groups = {person["person_record_number"] for person in document["persons"] if person["counts"] == "group"}
    assert "term:decision_maker:migration_department" in groups
    assert document["information"][0]["source"]["title"] == "-2+3 Report"
    assert {chain["type_of_chain_of_events"] for chain in document["chains_of_events"]} == {
        "led_to_decision",
        "decision_challenged",
    }
    kinds = {item["type_of_intervention"]["code"] for item in document["interventions"]}
    assert kinds == {"letter_to_authority", "legal_action_appeal_tier1"}


def test_uwazi_files_have_the_expected_headers_and_separators(casefile):
    files = unzipped(uwazi_zip(rows_for(casefile)))
    assert set(files) == {"cases.csv", "persons.csv", "events.csv"}
    cases = read_csv(files["cases.csv"])
    assert cases[0] == [
        "title",
        "asylon_id",
        "status",
        "risk",
        "jurisdiction",
        "opened_on",
        "closed_on",
        "summary",
        "persons",
    ]
    own = next(row for row in cases if row[1] == str(casefile.own.pk))
    assert own[0] == casefile.own.reference and own[5] == "2024/03/01"
    assert own[8] == f"+SUM(A1:A9) Сяргей ({str(casefile.person.pk)[:8]})".replace("+", "'+", 1)
    events = read_csv(files["events.csv"])
    assert events[0][:5] == ["title", "asylon_id", "event_type", "huridocs_code", "date"]
    row = dict(zip(events[0], events[1], strict=True))
    assert row["date"] == "2023/05/01" and row["case"] == casefile.own.reference and row["huridocs_code"] == "030101"
    assert row["sources"] == "'-2+3 Report"
    persons = read_csv(files["persons.csv"])
    assert persons[0][0] == "title" and "cases" in persons[0]


def test_uwazi_multiple_values_are_separated_by_a_pipe(casefile):
    from tests.factories import person_on_case

    person_on_case(casefile.own, given_name="Second|Name", family_name="Party")
    cases = read_csv(unzipped(uwazi_zip(rows_for(casefile)))["cases.csv"])
    own = next(row for row in cases if row[1] == str(casefile.own.pk))
    values = own[8].split("|")
    assert len(values) == 2 and any(value.startswith("Party Second/Name (") for value in values)


def test_xlsx_text_that_looks_like_an_error_code_stays_text(casefile):
    """openpyxl would type "#N/A" as an error cell; the export types every text cell as a string."""
    casefile.own.summary = "#N/A"
    casefile.own.save()
    sheet = load_workbook(io.BytesIO(xlsx(rows_for(casefile))))["cases"]
    header = [cell.value for cell in sheet[1]]
    cells = [row[header.index("summary")] for row in sheet.iter_rows(min_row=2)]
    assert [(cell.value, cell.data_type) for cell in cells if cell.value == "#N/A"] == [("#N/A", "s")]


def test_uwazi_files_without_rows_name_only_the_columns_every_export_has(casefile):
    data = export_rows(
        user=casefile.users[Role.ORG_ADMIN],
        scope=ExportScope(organisation=casefile.organisation, opened_from=datetime.date(2030, 1, 1)),
    )
    files = unzipped(uwazi_zip(data))
    assert read_csv(files["cases.csv"]) == [["title", "asylon_id", "persons"]]
    assert read_csv(files["events.csv"])[0] == [
        "title",
        "asylon_id",
        "event_type",
        "huridocs_code",
        "date",
        "case",
        "victim",
    ]
