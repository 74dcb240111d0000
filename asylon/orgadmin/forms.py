"""Forms of the organisation admin console; field names are the services' argument names."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from asylon.accounts.models import OrgPolicy, Role
from asylon.accounts.services_policy import (
    CLOSED_CASE_RETENTION_RANGE,
    DISCLOSURE_THRESHOLD_RANGE,
    INTAKE_RETENTION_RANGE,
)


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.CASEWORKER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class CaseMembershipForm(forms.Form):
    reference = forms.CharField(
        label=_("Case reference"),
        max_length=40,
        help_text=_("The reference shown on the case, for example C-2024-0012."),
    )


class PolicyForm(forms.Form):
    totp_roles = forms.MultipleChoiceField(
        label=_("Roles that may use an authenticator app"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Passkeys are always allowed. Roles not ticked must use a passkey."),
    )
    disclosure_threshold = forms.IntegerField(
        label=_("Disclosure threshold k"),
        min_value=DISCLOSURE_THRESHOLD_RANGE[0],
        max_value=DISCLOSURE_THRESHOLD_RANGE[1],
        help_text=_("Published counts below k are suppressed."),
    )
    closed_case_retention_days = forms.IntegerField(
        label=_("Keep closed cases (days)"),
        min_value=CLOSED_CASE_RETENTION_RANGE[0],
        max_value=CLOSED_CASE_RETENTION_RANGE[1],
        help_text=_("After this many days a closed case and the people only it concerns are erased."),
    )
    intake_retention_days = forms.IntegerField(
        label=_("Keep untriaged intake (days)"),
        min_value=INTAKE_RETENTION_RANGE[0],
        max_value=INTAKE_RETENTION_RANGE[1],
        help_text=_("Help requests nobody triaged are deleted after this many days."),
    )


def policy_initial(policy: OrgPolicy) -> dict[str, Any]:
    """The policy page's values from the stored policy."""
    return {
        "totp_roles": [role for role in Role.values if "totp" in policy.mfa_methods.get(role, [])],
        "disclosure_threshold": policy.disclosure_threshold,
        "closed_case_retention_days": policy.closed_case_retention_days,
        "intake_retention_days": policy.intake_retention_days,
    }


class InvitationAcceptForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name (optional)"),
        max_length=150,
        required=False,
        help_text=_("How colleagues see you in Asylon, for example your first name."),
    )
    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            raise ValidationError({"password2": _("The two passwords differ. Type the same password twice.")})
        return data
