"""The organisation policy page: second factors per role, the disclosure threshold k, retention periods."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from asylon.accounts.guards import sensitive
from asylon.accounts.models import OrgPolicy
from asylon.accounts.services_policy import policy_save
from asylon.common.form_pages import form_page
from asylon.orgadmin import selectors
from asylon.orgadmin.forms import PolicyForm, policy_initial
from asylon.orgadmin.views import console_context, organisation_or_404


@login_required
@sensitive
@require_http_methods(["GET", "POST"])
def policy(request: HttpRequest, organisation: str) -> HttpResponse:
    """Show and change the policy in one form (re-authenticated); each change is audited."""
    org = organisation_or_404(request, organisation)
    current = selectors.policy_of(organisation=org)
    form = PolicyForm(request.POST or None, initial=policy_initial(current))

    def save(data: dict[str, object]) -> OrgPolicy:
        saved_policy = policy_save(actor=request.user, organisation=org, **data)  # type: ignore[arg-type]
        messages.success(request, _("The organisation's policy was saved."))
        return saved_policy

    return form_page(
        request,
        form=form,
        save=save,
        success_url=lambda _policy: reverse("orgadmin:dashboard", args=[org.slug]),
        template="orgadmin/policy.html",
        context=console_context(
            org,
            title=_("Policy of %(name)s") % {"name": org.name},
            cancel_url=reverse("orgadmin:dashboard", args=[org.slug]),
            submit_label=_("Save the policy"),
        ),
    )


urlpatterns = [
    path("<slug:organisation>/policy/", policy, name="policy"),
]
