"""The open-data package: a valid Frictionless Data Package whose descriptor describes its CSVs."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from frictionless import validate

from asylon.reports.opendata import Aggregate, open_data_zip
from asylon.reports.tests.protected_tables import AS_OF, one_way, total_only, two_way

AGGREGATES = [
    Aggregate("national-security-threats", "Threats, by year and citizenship", "People declared threats", two_way()),
    Aggregate("entry-bans", "Entry bans, by length", "=People banned from entry", one_way()),
    Aggregate("detentions", "Detained", "People detained", total_only()),
]


@pytest.fixture
def package(tmp_path):
    body = open_data_zip(AGGREGATES, title="Statistics of Test", source="Case records of Test", as_of=AS_OF)
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        archive.extractall(tmp_path)
        names = sorted(archive.namelist())
    return tmp_path, names, body


def test_frictionless_validates_the_package(package):
    directory, _names, _body = package
    report = validate(str(directory / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldNumber", "type", "note"])


def test_descriptor_describes_every_csv_and_its_fields(package):
    directory, names, _body = package
    descriptor = json.loads((directory / "datapackage.json").read_text(encoding="utf-8"))
    assert names == sorted(["datapackage.json", *(f"{aggregate.name}.csv" for aggregate in AGGREGATES)])
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["sources"] == [{"title": "Case records of Test"}]
    assert [resource["path"] for resource in descriptor["resources"]] == [f"{a.name}.csv" for a in AGGREGATES]
    for resource in descriptor["resources"]:
        fields = resource["schema"]["fields"]
        for field in fields:
            assert field["name"] and field["title"] and field["type"] and field["description"]
        with (directory / resource["path"]).open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        assert header == [field["name"] for field in fields]
        assert resource["disclosure"]["threshold"] == 5
        assert "suppressed" in resource["description"]


def test_suppressed_counts_are_empty_with_their_status(package):
    directory, _names, _body = package
    rows = list(csv.DictReader((directory / "national-security-threats.csv").open(encoding="utf-8", newline="")))
    suppressed = [row for row in rows if row["status"] == "suppressed"]
    assert len(suppressed) == 2 and all(row["people"] == "" for row in suppressed)
    total = rows[-1]
    assert total == {
        "year": "",
        "year_label": "",
        "citizenship": "",
        "citizenship_label": "",
        "people": "72",
        "status": "published",
    }
    assert {
        "year": "2023",
        "year_label": "2023",
        "citizenship": "BY",
        "citizenship_label": "Belarus",
        "people": "40",
        "status": "published",
    } in rows


def test_the_zip_is_the_same_for_the_same_tables(package):
    _directory, _names, body = package
    assert open_data_zip(AGGREGATES, title="Statistics of Test", source="Case records of Test", as_of=AS_OF) == body
