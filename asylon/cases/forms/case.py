"""Opening and editing a case."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from asylon.accounts.models import Organisation, User
from asylon.accounts.selectors import colleagues_of
from asylon.cases.models import CaseStatus, Risk

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CaseOpenForm(forms.Form):
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    reference = forms.CharField(
        label=_("Reference"), max_length=40, required=False, help_text=_("Leave empty to number it automatically.")
    )
    risk = forms.ChoiceField(label=_("Risk"), choices=Risk.choices, initial=Risk.MEDIUM)
    opened_on = forms.DateField(label=_("Opened on"), required=False, widget=DATE_INPUT)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()
            self.fields["organisation"].widget = forms.HiddenInput()


class CaseEditForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=CaseStatus.choices)
    risk = forms.ChoiceField(label=_("Risk"), choices=Risk.choices)
    lead_assignee: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Lead"), queryset=User.objects.none(), required=False
    )
    opened_on = forms.DateField(label=_("Opened on"), widget=DATE_INPUT)
    closed_on = forms.DateField(label=_("Closed on"), required=False, widget=DATE_INPUT)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_assignee"].queryset = colleagues_of(organisation)  # type: ignore[attr-defined]
