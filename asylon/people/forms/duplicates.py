"""Merging two records of one person: which record survives and, per differing field, whose value stays."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from asylon.people.services_merge import CHOOSABLE_FIELDS, LIST_FIELDS

FIRST, SECOND, AUTOMATIC = "first", "second", ""


class MergeForm(forms.Form):
    """`survivor` is FIRST or SECOND (the candidate's person or other); `keep_<field>` for each field that
    differs and that the user may read: AUTOMATIC (the service's rule) or one record's value."""

    survivor = forms.ChoiceField(
        label=_("Record that stays"),
        choices=[(FIRST, _("first record")), (SECOND, _("second record"))],
        initial=FIRST,
        widget=forms.RadioSelect,
        help_text=_("The other record is merged into it and its page then leads here."),
    )

    def __init__(self, *args: Any, differing: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row in differing:
            name = row["name"]
            if name not in CHOOSABLE_FIELDS or row["withheld"]:
                continue
            automatic = (
                _("keep both")
                if name in LIST_FIELDS
                else _("automatic (the staying record's, or the other's when empty)")
            )
            self.fields[f"keep_{name}"] = forms.ChoiceField(
                label=row["label"],
                choices=[
                    (AUTOMATIC, automatic),
                    (FIRST, _("first record's value")),
                    (SECOND, _("second record's value")),
                ],
                required=False,
                initial=AUTOMATIC,
                widget=forms.RadioSelect,
            )

    def field_choices(self) -> dict[str, str]:
        """The choices in the service's terms: field -> "survivor" or "merged" (automatic fields left out)."""
        survivor = self.cleaned_data["survivor"]
        choices = {}
        for key, side in self.cleaned_data.items():
            if key.startswith("keep_") and side:
                choices[key.removeprefix("keep_")] = "survivor" if side == survivor else "merged"
        return choices
