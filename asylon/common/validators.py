"""Validators shared by several apps."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

country_code = RegexValidator(r"^[A-Z]{2}$", _("Use a two-letter country code such as BY, RU, UA or LT."))


def not_in_future(value: datetime.date) -> None:
    if value > datetime.date.today():
        raise ValidationError(_("This date is in the future."), code="future_date")


def plausible_year(value: int) -> None:
    if not 1900 <= value <= datetime.date.today().year:
        raise ValidationError(
            _("%(year)s is not a plausible year (1900 to this year)."), code="implausible_year", params={"year": value}
        )


def month_number(value: int) -> None:
    if not 1 <= value <= 12:
        raise ValidationError(_("A month is a number from 1 to 12."), code="invalid_month")
