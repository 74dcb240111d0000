"""/accounts/api-tokens/: the user's API tokens (label, organisation, scope, expiry, last use), issuing
one (re-authentication first; the token is shown once, on the page that answers the form) and
revoking one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asylon.accounts.guards import sensitive
from asylon.accounts.selectors import organisations_of
from asylon.accounts.token_forms import ApiTokenForm
from asylon.accounts.tokens import IssuedToken, api_token_create, api_token_of, api_token_revoke, api_tokens_of
from asylon.common.form_pages import add_service_errors, found_or_404

TEMPLATE = "accounts/api_tokens.html"


@login_required
@sensitive(allow_get=True)
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The list and the form; a valid POST issues a token and shows its secret this once."""
    organisations = organisations_of(request.user).order_by("name")
    if not organisations.exists():  # a token acts in one organisation: without one there is nothing to issue
        raise PermissionDenied("accounts.add_apitoken")
    form = ApiTokenForm(request.POST or None, organisations=organisations)
    issued: IssuedToken | None = None
    if request.method == "POST" and form.is_valid():
        try:
            issued = api_token_create(
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                label=form.cleaned_data["label"],
                scope=form.cleaned_data["scope"],
                expires_on=form.cleaned_data["expires_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            form = ApiTokenForm(organisations=organisations)
    context = {"form": form, "tokens": api_tokens_of(user=request.user), "issued": issued, "now": timezone.now()}
    return render(request, TEMPLATE, context)


@login_required
@require_POST
def api_token_revoke_view(request: HttpRequest, token_id: str) -> HttpResponse:
    """Revoke one of the user's tokens at once."""
    token = found_or_404(api_token_of, user=request.user, token_id=token_id)
    api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token “%(label)s” was revoked.") % {"label": token.label})
    return redirect("account_api_tokens")


urlpatterns = [
    path("api-tokens/", api_tokens, name="account_api_tokens"),
    path("api-tokens/<uuid:token_id>/revoke/", api_token_revoke_view, name="account_api_token_revoke"),
]
