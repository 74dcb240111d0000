"""Invitations: the admin's list, a new invitation (its link shown once), withdrawing one, and accepting one.

Accepting is the one page of the console open without an account: the link's secret is the key, moved
from the address into the session before the form is shown. The
new colleague chooses a password, is signed in, and is then kept on the second-factor enrolment pages
until they hold a factor their role allows (asylon.accounts.middleware.MFAEnrolmentMiddleware).
"""

from __future__ import annotations

from typing import Any

from allauth.account.internal.flows.login import record_authentication
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from asylon.accounts.guards import sensitive
from asylon.accounts.models import Invitation
from asylon.accounts.services_invitations import (
    invitation_accept,
    invitation_create,
    invitation_for_secret,
    invitation_revoke,
    invitation_status,
)
from asylon.common.form_pages import add_service_errors, found_or_404, saved
from asylon.orgadmin import selectors
from asylon.orgadmin.forms import InvitationAcceptForm, InvitationForm
from asylon.orgadmin.views import console_context, organisation_or_404

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def invitations_url(slug: str) -> str:
    return reverse("orgadmin:invitations", args=[slug])


@login_required
@require_GET
def invitation_list(request: HttpRequest, organisation: str) -> HttpResponse:
    """The latest invitations with their state; a link to invite someone."""
    org = organisation_or_404(request, organisation)
    rows = [(invitation, invitation_status(invitation)) for invitation in selectors.invitations_of(organisation=org)]
    return render(request, "orgadmin/invitations.html", console_context(org, rows=rows))


@login_required
@sensitive
@require_http_methods(["GET", "POST"])
def invitation_new(request: HttpRequest, organisation: str) -> HttpResponse:
    """Invite a colleague by email and role; the one-time link is shown on the next page, once."""
    org = organisation_or_404(request, organisation)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = invitation_create(actor=request.user, organisation=org, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            link = request.build_absolute_uri(reverse("orgadmin:invitation_link", args=[issued.secret]))
            context = console_context(org, invitation=issued.invitation, link=link)
            return render(request, "orgadmin/invitation_created.html", context)
    context = console_context(org, form=form, cancel_url=invitations_url(org.slug))
    return render(request, "orgadmin/invitation_new.html", context)


@login_required
@sensitive
@require_http_methods(["GET", "POST"])
def invitation_withdraw(request: HttpRequest, organisation: str, invitation_id: str) -> HttpResponse:
    """Withdraw an open invitation after confirming: its link stops working at once (re-authenticated)."""
    org = organisation_or_404(request, organisation)
    invitation = found_or_404(selectors.invitation_of, organisation=org, invitation_id=invitation_id)
    if request.method == "POST":
        try:
            invitation_revoke(actor=request.user, invitation=invitation)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The invitation for %(email)s was withdrawn.") % {"email": invitation.email})
        return saved(request, invitations_url(org.slug))
    context = console_context(
        org, invitation=invitation, status=invitation_status(invitation), cancel_url=invitations_url(org.slug)
    )
    return render(request, "orgadmin/invitation_withdraw.html", context)


def _invalid_link(request: HttpRequest) -> HttpResponse:
    return render(request, "orgadmin/invitation_invalid.html", status=404)


# The link's secret moves from the address into the session at once (as allauth does with password-reset
# keys), so the form, its POST and the sign-in that follows never carry it in a URL, a Referer or a log line.
INVITATION_SESSION_KEY = "asylon_invitation_key"


@never_cache
@require_GET
def invitation_link(request: HttpRequest, key: str) -> HttpResponse:
    """The link itself: a valid secret is kept in the session and the browser sent on to the form."""
    try:
        invitation_for_secret(key)
    except Invitation.DoesNotExist:
        return _invalid_link(request)
    request.session[INVITATION_SESSION_KEY] = key
    return redirect("orgadmin:invitation_accept")


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept_page(request: HttpRequest) -> HttpResponse:
    """The invited colleague chooses a password; then they are signed in and add their second factor."""
    key = str(request.session.get(INVITATION_SESSION_KEY, ""))
    try:
        invitation = invitation_for_secret(key)
    except Invitation.DoesNotExist:
        request.session.pop(INVITATION_SESSION_KEY, None)
        return _invalid_link(request)
    if request.user.is_authenticated:
        return render(request, "orgadmin/invitation_signed_in.html", {"invitation": invitation})
    form = InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(
                secret=key, password=form.cleaned_data["password1"], display_name=form.cleaned_data["display_name"]
            )
        except Invitation.DoesNotExist:
            return _invalid_link(request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _signed_in(request, user)
    return render(request, "orgadmin/invitation_accept.html", {"invitation": invitation, "form": form})


def _signed_in(request: HttpRequest, user: Any) -> HttpResponse:
    """Sign the new colleague in with the password just chosen; the enrolment middleware takes over."""
    request.session.pop(INVITATION_SESSION_KEY, None)  # spent; login() keeps the session's data
    login(request, user, backend=MODEL_BACKEND)
    # The password was chosen in this very request: as fresh as a re-authentication, so adding the
    # second factor next (which allauth guards with re-authentication) does not ask for it again.
    record_authentication(request, user, method="password", email=user.email, reauthenticated=True)
    messages.success(
        request,
        _("Welcome to Asylon. Your password is set; now add a second factor to protect your account."),
    )
    return redirect("mfa_index")


urlpatterns = [
    path("<slug:organisation>/invitations/", invitation_list, name="invitations"),
    path("<slug:organisation>/invitations/new/", invitation_new, name="invitation_new"),
    path(
        "<slug:organisation>/invitations/<uuid:invitation_id>/withdraw/",
        invitation_withdraw,
        name="invitation_withdraw",
    ),
    # Last: a link's secret is one path segment, like an organisation's short name.
    path("join/account/", invitation_accept_page, name="invitation_accept"),
    path("join/<str:key>/", invitation_link, name="invitation_link"),
]
