"""The statistics page's filters: a period in whole years, a citizenship, and (for members of several
organisations) whose records to count. A plain GET form."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from asylon.accounts.models import Organisation
from asylon.reports.statistics.measures import COUNTRY_NAMES

ROUND_KEY = "round"
FIRST_YEAR = 1991
LAST_YEAR = 2100


class StatisticsFilterForm(forms.Form):
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False, empty_label=None
    )
    from_year = forms.IntegerField(label=_("From year"), required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)
    to_year = forms.IntegerField(label=_("To year"), required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)
    citizenship = forms.ChoiceField(label=_("Citizenship"), required=False)
    rounding = forms.TypedChoiceField(
        label=_("Counts"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("exact")), ("5", _("rounded to 5")), ("10", _("rounded to 10"))],
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["organisation"])
        field.queryset = Organisation.objects.filter(pk__in=[org.pk for org in organisations]).order_by("name")
        if len(organisations) < 2:
            field.widget = forms.HiddenInput()
        countries = sorted(((code, str(name)) for code, name in COUNTRY_NAMES.items()), key=lambda item: item[1])
        self.fields["citizenship"].choices = [("", _("All")), *countries]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("from_year"), data.get("to_year")
        if start and end and end < start:
            self.add_error("to_year", _("The period ends before it starts."))
        return data

    def question_filters(self) -> dict[str, str]:
        """The filters as question parameters (from=, to=, citizenship=), only those set, and the
        rounding asked for (round=, which the page gives to statistics_release, not to the question)."""
        data = self.cleaned_data
        filters = {
            "from": str(data["from_year"]) if data.get("from_year") else "",
            "to": str(data["to_year"]) if data.get("to_year") else "",
            "citizenship": data.get("citizenship") or "",
            ROUND_KEY: str(data["rounding"]) if data.get("rounding") else "",
        }
        return {key: value for key, value in filters.items() if value}
