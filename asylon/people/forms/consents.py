"""Recording consent for a purpose, and its withdrawal."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from asylon.people.forms.person import DATE_INPUT
from asylon.people.models import ConsentPurpose


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    given_on = forms.DateField(label=_("Given on"), widget=DATE_INPUT)
    note = forms.CharField(
        label=_("Note"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example how consent was given (signed form, recorded call)."),
    )


class ConsentWithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(label=_("Withdrawn on"), widget=DATE_INPUT)
