"""The export formats: what each is called, the permission it needs, how it is written, its file name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import rules
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from asylon.ops.exports.esf import esf_export
from asylon.ops.exports.json_nested import json_export
from asylon.ops.exports.rows import ExportData
from asylon.ops.exports.tabular import csv_zip, xlsx
from asylon.ops.exports.uwazi import uwazi_zip


@dataclass(frozen=True)
class ExportFormat:
    """One format: its code, its label, the permission (on the organisation), its writer, its file suffix."""

    code: str
    label: Promise
    permission: str
    write: Callable[[ExportData], bytes]
    suffix: str


FORMATS: dict[str, ExportFormat] = {
    item.code: item
    for item in (
        ExportFormat("csv", _("CSV files (a zip of one file per table)"), "ops.export_csv", csv_zip, ".csv.zip"),
        ExportFormat("xlsx", _("Excel workbook (one sheet per table)"), "ops.export_xlsx", xlsx, ".xlsx"),
        ExportFormat("json", _("JSON (cases with their records)"), "ops.export_json", json_export, ".json"),
        ExportFormat("esf", _("HURIDOCS Events Standard Formats (JSON)"), "ops.export_esf", esf_export, ".esf.json"),
        ExportFormat("uwazi", _("Uwazi CSV import files (zip)"), "ops.export_uwazi", uwazi_zip, ".uwazi.zip"),
    )
}


def formats_allowed(user: Any, organisation: Any) -> list[ExportFormat]:
    """The formats the user may export from the organisation, in the order above (the rules themselves,
    as `require` checks them: a Django superuser gets nothing implicitly)."""
    return [item for item in FORMATS.values() if rules.has_perm(item.permission, user, organisation)]
