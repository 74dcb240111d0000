"""Forms of the console's security pages: why a second factor is reset, why access is revoked."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from asylon.accounts.services_revocation import RevocationReason
from asylon.orgsecurity.models import FactorResetReason


class FactorResetForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why must the second factor be reset?"),
        choices=FactorResetReason.choices,
        widget=forms.RadioSelect,
    )
    confirm = forms.BooleanField(
        label=_(
            "I confirmed, in person or by a call to a known number, that this request comes from the account's holder."
        ),
        required=True,
    )


class RevokeForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why is the access revoked?"),
        choices=RevocationReason.choices,
        widget=forms.RadioSelect,
    )
    confirm = forms.BooleanField(
        label=_("I understand that this cannot be undone: the person must be invited again to come back."),
        required=True,
    )


class DeviceSeizedForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I will hand the new one-time password to the person in person, not through the seized device."),
        required=True,
    )
