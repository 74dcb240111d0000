"""The form that issues an API token: label, organisation, scope and expiry (docs/api.md)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from asylon.accounts.models import ApiTokenScope, Organisation
from asylon.accounts.tokens import LABEL_MAX_LENGTH, default_expiry


class ApiTokenForm(forms.Form):
    label = forms.CharField(
        label=_("Label"),
        max_length=LABEL_MAX_LENGTH,
        help_text=_("What will use the token, for example “monthly statistics export”."),
    )
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=ApiTokenScope.choices, initial=ApiTokenScope.READ)
    expires_on = forms.DateField(
        label=_("Expires on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("At most one year from today."),
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["organisation"])
        field.queryset = organisations
        if organisations.count() < 2:
            field.widget = forms.HiddenInput()
        self.fields["expires_on"].initial = default_expiry()
