"""The form of an outside figure: what it counts, its value as stated, and its source (chosen or new)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from asylon.evidence.forms import DATE_INPUT
from asylon.evidence.models import Reliability, Source
from asylon.reports.citations import QUALIFIERS
from asylon.reports.services.external_statistics import NEW_SOURCE_PREFIX

NEW_SOURCE_FIELDS = ("title", "publisher", "url", "published_on", "accessed_on", "reliability", "citation")


class ExternalStatisticForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=80, help_text=_("How reports refer to it, e.g. by_threats_2024"))
    label = forms.CharField(label=_("What it counts"), max_length=300)
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=2)
    qualifier = forms.ChoiceField(
        label=_("As stated"), required=False, choices=[("", _("exactly")), *QUALIFIERS.items()]
    )
    unit = forms.CharField(label=pgettext_lazy("unit of measurement", "Unit"), max_length=60, initial="persons")
    period_start = forms.DateField(label=_("Period from"), required=False, widget=DATE_INPUT)
    period_end = forms.DateField(label=_("Period to"), required=False, widget=DATE_INPUT)
    population = forms.CharField(label=_("Population"), max_length=200, required=False)
    source: forms.ModelChoiceField[Source] = forms.ModelChoiceField(
        label=_("Source"),
        queryset=Source.objects.none(),
        required=False,
        help_text=_("Choose a recorded source, or enter a new citation below."),
    )
    source_title = forms.CharField(label=_("New source: title"), max_length=400, required=False)
    source_publisher = forms.CharField(label=_("New source: publisher"), max_length=200, required=False)
    source_url = forms.URLField(
        label=_("New source: address (URL)"), max_length=500, required=False, assume_scheme="https"
    )
    source_published_on = forms.DateField(label=_("New source: published on"), required=False, widget=DATE_INPUT)
    source_accessed_on = forms.DateField(label=_("New source: accessed on"), required=False, widget=DATE_INPUT)
    source_reliability = forms.ChoiceField(
        label=_("New source: reliability"), choices=Reliability.choices, initial=Reliability.UNKNOWN
    )
    source_citation = forms.CharField(
        label=_("New source: note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: a secondary source, or where the original figure was published."),
    )

    def __init__(self, *args: Any, sources: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # On an edit page the current source is preselected: a new citation replaces it unless another was chosen.
        if data.get("source") and data.get("source_title") and "source" in self.changed_data:
            raise forms.ValidationError(_("Choose a source or enter a new citation, not both."))
        if not data.get("source") and not data.get("source_title") and not self.initial.get("source"):
            self.add_error("source", _("Choose a source or enter a new citation."))
        return data


def statistic_arguments(data: dict[str, Any], *, changed: list[str] | None = None) -> dict[str, Any]:
    """The service's keyword arguments from the form's cleaned data (on an edit page only the `changed`
    fields): a new citation becomes `new_source`, cited instead of the chosen source."""
    names = [name for name in (data if changed is None else changed) if not name.startswith(NEW_SOURCE_PREFIX)]
    arguments = {name: data[name] for name in names if name in data}
    if data.get("source_title"):
        arguments.pop("source", None)
        arguments["new_source"] = {name: data[f"{NEW_SOURCE_PREFIX}{name}"] for name in NEW_SOURCE_FIELDS}
    elif arguments.get("source") is None:
        arguments.pop("source", None)  # an emptied choice on an edit page keeps the current source
    return arguments
