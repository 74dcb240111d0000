"""Forms of a report: its title, short name and Markdown text with figure directives."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from asylon.accounts.models import Organisation

TEXT_ROWS = 28


class ReportForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    slug = forms.SlugField(
        label=_("Short name"),
        max_length=80,
        required=False,
        help_text=_("Used in file names and by `asylon report`. Leave empty to derive it from the title."),
    )
    body = forms.CharField(
        label=_("Text (Markdown with figure directives)"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": TEXT_ROWS, "class": "report-source", "spellcheck": "true"}),
    )


class ReportCreateForm(ReportForm):
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )

    field_order = ["organisation", "title", "slug", "body"]

    def __init__(self, *args: Any, organisations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = Organisation.objects.filter(pk__in=[org.pk for org in organisations]).order_by("name")  # type: ignore[attr-defined]
        if len(organisations) == 1:
            field.initial = organisations[0]
            field.widget = forms.HiddenInput()
