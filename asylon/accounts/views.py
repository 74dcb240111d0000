"""The account security page and "sign out everywhere"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asylon.accounts.mfa import TOTP, mfa_methods_allowed
from asylon.accounts.selectors import authenticators_of
from asylon.accounts.services import sessions_end_all


@login_required
def security(request: HttpRequest) -> HttpResponse:
    """Second factors, the policy that applies, password, and signing out everywhere."""
    return render(
        request,
        "accounts/security.html",
        {
            "authenticators": authenticators_of(request.user),
            "totp_allowed": TOTP in mfa_methods_allowed(request.user),
        },
    )


@login_required
@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    """End every session of the user (a lost laptop, a suspected phishing) and sign out here too."""
    ended = sessions_end_all(actor=request.user)
    logout(request)
    messages.success(request, _("You were signed out of %(count)d sessions, this one included.") % {"count": ended})
    return redirect("account_login")
