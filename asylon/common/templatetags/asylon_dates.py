"""Dates shown as precisely as they are known: a month-only date is never shown as the 1st."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from asylon.common.models import DatePrecision

register = template.Library()


@register.filter
def date_precision(value: Any, precision: str | None = DatePrecision.DAY) -> str:
    """`value` at its precision, localised: "17 August 2023", "August 2023", "2023", "about 17 Aug 2023".

    An empty or redacted value renders as itself (a redaction shows its bar); an unknown precision
    is treated as approximate rather than claiming more than is known.
    """
    if not isinstance(value, datetime.date):
        return value  # type: ignore[no-any-return]
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return date_format(value, "YEAR_MONTH_FORMAT")
    if precision in (DatePrecision.DAY, "", None):
        return date_format(value, "DATE_FORMAT")
    return _("about %(date)s") % {"date": date_format(value, "DATE_FORMAT")}
