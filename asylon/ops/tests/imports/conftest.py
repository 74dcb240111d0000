"""Fixtures for import tests: sheets as CSV bytes, uploads, and a run taken through upload and mapping."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

HEADERS = ["Фамилия", "Имя", "Дата рождения", "Дело", "Событие", "Дата", "Страна", "Описание"]
ROWS = [
    ["Іваноў", "Сяргей", "17.08.1990", "IMP-1", "Summons issued", "17.08.2023", "BY", "Повестка у двери"],
    ["Іваноў", "Сяргей", "17.08.1990", "IMP-1", "detention", "08/2023", "Беларусь", ""],
    ["Petrenko", "Olena", "1985", "", "Выдана повестка", "Aug 2023", "UA", "Summons by post"],
]


def csv_bytes(headers: list[str], rows: list[list[str]], *, delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def upload_of(data: bytes, name: str = "people.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


@pytest.fixture
def mapped_run(organisation, caseworker):
    """A function: a run of the given sheet, uploaded and mapped with the suggested mapping."""
    from asylon.ops.imports.targets import suggested_mapping
    from asylon.ops.services.imports import import_map, import_upload

    def make(headers: list[str] = HEADERS, rows: list[list[str]] = ROWS, actor=None, **options):
        actor = actor or caseworker
        run = import_upload(actor=actor, organisation=organisation, upload=upload_of(csv_bytes(headers, rows)))
        return import_map(actor=actor, run=run, mapping=suggested_mapping(headers), options=options)

    return make
