"""The Big List of Naughty Strings through the imported text fields: no crash, accepted values round-trip."""

from __future__ import annotations

import pytest

from asylon.cases.models import Event
from asylon.ops.selectors import import_report
from asylon.ops.services.imports import import_check, import_commit, import_map, import_upload
from asylon.ops.tests.imports.conftest import csv_bytes, upload_of
from asylon.people.models import Person
from tests.naughty import naughty_strings

HEADERS = ["Record", "Family name", "Given name", "Event", "Event date", "Description"]
MAPPING = {
    "Record": "person.external_id",
    "Family name": "person.family_name",
    "Given name": "person.given_name",
    "Event": "event.type",
    "Event date": "event.date",
    "Description": "event.description",
}


@pytest.mark.sqlite_only
def test_naughty_strings_as_names_and_descriptions(organisation, caseworker):
    strings = [text for text in naughty_strings() if "\x00" not in text]  # NUL: CSV files cannot hold it
    rows = [[f"N{index}", text, text, "detention", "2023", text] for index, text in enumerate(strings)]
    run = import_upload(actor=caseworker, organisation=organisation, upload=upload_of(csv_bytes(HEADERS, rows)))
    run = import_map(actor=caseworker, run=run, mapping=MAPPING, options={})
    run = import_check(actor=caseworker, run=run)
    run = import_commit(actor=caseworker, run=run, mode="valid_only")
    rejected = {problem["row"] for problem in import_report(user=caseworker, run=run)["problems"]}
    accepted = [text for number, text in enumerate(strings, start=2) if number not in rejected]
    assert len(accepted) > len(strings) * 0.9
    stored_names = sorted(person.family_name for person in Person.objects.filter(organisation=organisation))
    expected_names = sorted(" ".join(text.split()) for text in accepted if text.split())
    assert stored_names == expected_names
    stored_texts = sorted(event.description for event in Event.objects.filter(organisation=organisation))
    assert stored_texts == sorted(text.strip() for text in accepted if text.split())
