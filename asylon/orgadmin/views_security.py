"""The console's security pages (docs/orgsecurity.md): four-eyes second-factor resets, emergency
revocation and the seized-device response.

Every change asks for a recent re-authentication (asylon.accounts.guards.sensitive) on the form page
itself; the services authorise again, validate and write the audit entry. A service's refusal
(the second admin is the first, the request expired, ...) is shown on the page, never as an error page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from asylon.accounts.guards import sensitive
from asylon.accounts.models import Membership, Organisation
from asylon.accounts.services_factor_reset import (
    factor_reset_approve,
    factor_reset_cancel,
    factor_reset_refuse,
    factor_reset_request,
)
from asylon.accounts.services_revocation import device_seized, user_revoke_all
from asylon.common.form_pages import add_service_errors, found_or_404, saved
from asylon.orgadmin import selectors
from asylon.orgadmin.views import console_context, member_url, organisation_or_404
from asylon.orgsecurity import selectors as security_selectors
from asylon.orgsecurity.forms import DeviceSeizedForm, FactorResetForm, RevokeForm
from asylon.orgsecurity.models import FactorResetRequest

TEMPLATES = "orgadmin/security/"


def security_url(organisation: Organisation) -> str:
    return reverse("orgadmin:security", args=[organisation.slug])


def reset_url(organisation: Organisation, reset: FactorResetRequest) -> str:
    return reverse("orgadmin:factor_reset", args=[organisation.slug, reset.pk])


@login_required
@require_GET
def security(request: HttpRequest, organisation: str) -> HttpResponse:
    """Resets waiting for a second admin, the latest decided ones, the latest revocations, and what each action does."""
    org = organisation_or_404(request, organisation)
    context = console_context(
        org,
        pending=security_selectors.factor_resets_pending(organisation=org),
        decided=security_selectors.factor_resets_decided(organisation=org),
        emergencies=security_selectors.emergency_actions_of(user=request.user, organisation=org),
    )
    return render(request, TEMPLATES + "index.html", context)


@login_required
@sensitive
@require_http_methods(["GET", "POST"])
def factor_reset_new(request: HttpRequest, organisation: str, user_id: str) -> HttpResponse:
    """Ask for a reset of a member's second factors; a second admin must approve it."""
    org = organisation_or_404(request, organisation)
    membership = found_or_404(selectors.member_of, organisation=org, user_id=user_id)
    form = FactorResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reset = factor_reset_request(
                actor=request.user, organisation=org, user=membership.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The reset now waits for a second admin: ask one to approve it within %(hours)d hours.")
                % {"hours": int(FactorResetRequest.LIFETIME.total_seconds() // 3600)},
            )
            return saved(request, reset_url(org, reset))
    context = console_context(
        org,
        form=form,
        member=membership.user,
        pending=security_selectors.factor_reset_pending_for(organisation=org, user=membership.user),
        cancel_url=member_url(org, membership.user_id),
    )
    return render(request, TEMPLATES + "factor_reset_new.html", context)


@login_required
@require_GET
def factor_reset(request: HttpRequest, organisation: str, reset_id: str) -> HttpResponse:
    """One request: who asked, for whom, why, until when, and the decision buttons for whoever may press them."""
    org = organisation_or_404(request, organisation)
    reset = found_or_404(security_selectors.factor_reset_of, organisation=org, reset_id=reset_id)
    user_id = str(request.user.pk)
    context = console_context(
        org,
        reset=reset,
        asked_by_me=str(reset.requested_by_id) == user_id,
        about_me=str(reset.user_id) == user_id,
    )
    return render(request, TEMPLATES + "factor_reset.html", context)


def _decide(
    request: HttpRequest, organisation: str, reset_id: str, decide: Callable[..., Any], done: str
) -> HttpResponse:
    org = organisation_or_404(request, organisation)
    reset = found_or_404(security_selectors.factor_reset_of, organisation=org, reset_id=reset_id)
    try:
        decide(actor=request.user, reset=reset)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return saved(request, reset_url(org, reset))


@login_required
@sensitive
@require_POST
def factor_reset_approve_view(request: HttpRequest, organisation: str, reset_id: str) -> HttpResponse:
    """The second admin approves: the member's second factors are removed and their sessions end."""
    return _decide(
        request,
        organisation,
        reset_id,
        factor_reset_approve,
        _("Approved. The second factors were removed; at the next sign-in the person enrols a new one."),
    )


@login_required
@sensitive
@require_POST
def factor_reset_refuse_view(request: HttpRequest, organisation: str, reset_id: str) -> HttpResponse:
    """The second admin refuses: nothing changes for the member."""
    return _decide(
        request, organisation, reset_id, factor_reset_refuse, _("Refused. The person's second factors are unchanged.")
    )


@login_required
@sensitive
@require_POST
def factor_reset_withdraw_view(request: HttpRequest, organisation: str, reset_id: str) -> HttpResponse:
    """The admin who asked withdraws the request."""
    return _decide(request, organisation, reset_id, factor_reset_cancel, _("The request was withdrawn."))


def _member_action_page(
    request: HttpRequest, org: Organisation, membership: Membership, form: forms.Form, template: str
) -> HttpResponse:
    """The confirmation form of an emergency action on a member; the page refuses it on one's own account."""
    context = console_context(
        org,
        form=form,
        member=membership.user,
        is_self=membership.user_id == request.user.pk,
        cancel_url=member_url(org, membership.user_id),
    )
    return render(request, TEMPLATES + template, context)


@login_required
@sensitive
@require_http_methods(["GET", "POST"])
def member_revoke(request: HttpRequest, organisation: str, user_id: str) -> HttpResponse:
    """Offboard a member or cut a compromised account: everything at once, after saying what will happen."""
    org = organisation_or_404(request, organisation)
    membership = found_or_404(selectors.member_of, organisation=org, user_id=user_id)
    member = membership.user
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            revocation = user_revoke_all(
                actor=request.user, organisation=org, user=member, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The access of %(email)s was revoked: %(sessions)d sessions ended, %(factors)d second factors "
                    "and %(tokens)d API tokens removed, %(cases)d case memberships ended."
                )
                % {
                    "email": member.email,
                    "sessions": revocation.sessions,
                    "factors": revocation.factors,
                    "tokens": revocation.api_tokens,
                    "cases": revocation.case_memberships,
                },
            )
            if revocation.lead_cases or revocation.assigned_tasks:
                messages.warning(
                    request,
                    _(
                        "%(cases)d cases now have no lead and %(tasks)d open tasks no assignee: assign them to "
                        "someone else."
                    )
                    % {"cases": revocation.lead_cases, "tasks": revocation.assigned_tasks},
                )
            return saved(request, reverse("orgadmin:staff", args=[org.slug]))
    return _member_action_page(request, org, membership, form, "revoke.html")


@login_required
@sensitive
@require_http_methods(["GET", "POST"])
def member_device_seized(request: HttpRequest, organisation: str, user_id: str) -> HttpResponse:
    """A device was seized: cut every credential, keep the memberships, show a one-time password once."""
    org = organisation_or_404(request, organisation)
    membership = found_or_404(selectors.member_of, organisation=org, user_id=user_id)
    member = membership.user
    form = DeviceSeizedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            revocation = device_seized(actor=request.user, organisation=org, user=member)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # Answered on this page, not after a redirect: the one-time password is shown once and kept nowhere.
            context = console_context(org, member=member, revocation=revocation)
            return render(request, TEMPLATES + "device_seized_done.html", context)
    return _member_action_page(request, org, membership, form, "device_seized.html")


urlpatterns = [
    path("<slug:organisation>/security/", security, name="security"),
    path("<slug:organisation>/security/resets/<uuid:reset_id>/", factor_reset, name="factor_reset"),
    path(
        "<slug:organisation>/security/resets/<uuid:reset_id>/approve/",
        factor_reset_approve_view,
        name="factor_reset_approve",
    ),
    path(
        "<slug:organisation>/security/resets/<uuid:reset_id>/refuse/",
        factor_reset_refuse_view,
        name="factor_reset_refuse",
    ),
    path(
        "<slug:organisation>/security/resets/<uuid:reset_id>/withdraw/",
        factor_reset_withdraw_view,
        name="factor_reset_withdraw",
    ),
    path("<slug:organisation>/users/<uuid:user_id>/factor-reset/", factor_reset_new, name="member_factor_reset"),
    path("<slug:organisation>/users/<uuid:user_id>/revoke/", member_revoke, name="member_revoke"),
    path("<slug:organisation>/users/<uuid:user_id>/device-seized/", member_device_seized, name="member_device_seized"),
]
