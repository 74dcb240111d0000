"""Recording what the organisation did in a case and the response it received."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from asylon.accounts.models import User
from asylon.accounts.selectors import colleagues_of
from asylon.cases.forms.case import DATE_INPUT
from asylon.vocab import codes
from asylon.vocab.forms import TermChoiceField, offer_terms


class InterventionForm(forms.Form):
    intervention_type = TermChoiceField(label=_("Type"), vocabulary=codes.INTERVENTION_TYPE)
    carried_out_on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    performed_by: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Performed by"), queryset=User.objects.none(), required=False, empty_label="—"
    )
    addressee = forms.CharField(
        label=_("Addressed to"),
        max_length=200,
        required=False,
        help_text=_("An authority or body, for example the Migration Department. No personal names."),
    )
    description = forms.CharField(label=_("What was done"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    response = forms.CharField(label=_("Response"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_terms(self, organisation)
        self.fields["performed_by"].queryset = colleagues_of(organisation)  # type: ignore[attr-defined]
