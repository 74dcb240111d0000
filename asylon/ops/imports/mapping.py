"""Checking a column mapping {header: target key} against the file's headers and the known targets."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from asylon.ops.imports.targets import IGNORE, NAME_TARGETS, TARGETS

DATE_ORDERS = ("day_first", "month_first")


def mapping_checked(headers: list[str], mapping: dict[str, str]) -> dict[str, str]:
    """The mapping for every header (unmapped ones ignored), or ValidationError naming the problem."""
    unknown_headers = sorted(set(mapping) - set(headers))
    if unknown_headers:
        raise ValidationError({"mapping": _("The file has no column “%(header)s”.") % {"header": unknown_headers[0]}})
    checked = {header: mapping.get(header, IGNORE) or IGNORE for header in headers}
    seen: dict[str, str] = {}
    for header, target in checked.items():
        if target == IGNORE:
            continue
        if target not in TARGETS:
            raise ValidationError(
                {
                    "mapping": _("Column “%(header)s”: unknown target “%(target)s”.")
                    % {"header": header, "target": target}
                }
            )
        if target in seen:
            raise ValidationError(
                {
                    "mapping": _("Columns “%(first)s” and “%(second)s” both fill “%(target)s”; choose one.")
                    % {"first": seen[target], "second": header, "target": TARGETS[target].label}
                }
            )
        seen[target] = header
    if not set(seen) & set(NAME_TARGETS):
        raise ValidationError({"mapping": _("Map at least one column to the family name or the given name.")})
    return checked


def options_checked(options: dict[str, object]) -> dict[str, object]:
    """The import options: the order of day and month in slashed dates (day first unless told)."""
    order = options.get("date_order") or DATE_ORDERS[0]
    if order not in DATE_ORDERS:
        raise ValidationError({"date_order": _("Choose day first or month first.")})
    return {"date_order": order}
