"""allauth form overrides: the second-factor forms follow the organisation's policy."""

from __future__ import annotations

from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from allauth.mfa.models import Authenticator
from django import forms
from django.utils.translation import gettext_lazy as _

from asylon.accounts.mfa import TOTP, has_allowed_authenticator, mfa_methods_allowed

PASSKEY_REQUIRED = _("Your organisation requires a passkey for your role: use your passkey, not an app code.")


def refuse_code_the_policy_forbids(form: AuthenticateForm | ReauthenticateForm) -> None:
    """A leftover authenticator app must not stand in for the passkey the policy requires (phishable codes).

    A user whose only factor is the app may still use it, once, to reach the page that adds a passkey.
    """
    if form.authenticator.type != Authenticator.Type.TOTP:
        return
    allowed = mfa_methods_allowed(form.user)
    if TOTP not in allowed and has_allowed_authenticator(form.user, allowed):
        raise forms.ValidationError(PASSKEY_REQUIRED)


class PolicyAuthenticateForm(AuthenticateForm):
    def clean_code(self) -> str:
        code = super().clean_code()
        refuse_code_the_policy_forbids(self)
        return code


class PolicyReauthenticateForm(ReauthenticateForm):
    def clean_code(self) -> str:
        code = super().clean_code()
        refuse_code_the_policy_forbids(self)
        return code
