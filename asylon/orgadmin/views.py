"""The console's pages for organisations and their staff: the dashboard, the users, roles and case memberships.

Changing a role or a case membership asks for a recent re-authentication (asylon.accounts.guards.sensitive),
on the form page itself so that nothing typed is lost.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from asylon.accounts.guards import sensitive
from asylon.accounts.models import Organisation, Role
from asylon.accounts.services_members import member_role_change
from asylon.cases.models import Case
from asylon.cases.services.case import case_member_add, case_member_remove
from asylon.common.form_pages import form_page, found_or_404, saved
from asylon.orgadmin import selectors
from asylon.orgadmin.forms import CaseMembershipForm, RoleForm


def organisation_or_404(request: HttpRequest, slug: str) -> Organisation:
    """The organisation in the URL, when the user administers it (404 otherwise: its existence is not revealed)."""
    return found_or_404(selectors.administered_organisation, user=request.user, slug=slug)  # type: ignore[no-any-return]


def member_url(organisation: Organisation, user_id: Any) -> str:
    return reverse("orgadmin:member", args=[organisation.slug, user_id])


def console_context(organisation: Organisation, **extra: Any) -> dict[str, Any]:
    return {"organisation": organisation, **extra}


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The organisations the user administers; straight to the dashboard when there is one."""
    organisations = selectors.administered_organisations(request.user)
    if not organisations:
        raise PermissionDenied(selectors.MANAGE)
    if len(organisations) == 1:
        return redirect("orgadmin:dashboard", organisations[0].slug)
    return render(request, "orgadmin/index.html", {"organisations": organisations})


@login_required
@require_GET
def dashboard(request: HttpRequest, organisation: str) -> HttpResponse:
    """Members per role, who still has no second factor, open invitations, and the policy in force."""
    org = organisation_or_404(request, organisation)
    overview = selectors.overview_of(organisation=org)
    return render(request, "orgadmin/dashboard.html", console_context(org, overview=overview))


@login_required
@require_GET
def staff(request: HttpRequest, organisation: str) -> HttpResponse:
    """Every member with role, second factors, last sign-in and number of cases."""
    org = organisation_or_404(request, organisation)
    return render(request, "orgadmin/staff.html", console_context(org, rows=selectors.staff_of(organisation=org)))


@login_required
@require_GET
def member(request: HttpRequest, organisation: str, user_id: str) -> HttpResponse:
    """One member: role, second factors and the cases they are a member of, with the actions on each."""
    org = organisation_or_404(request, organisation)
    membership = found_or_404(selectors.member_of, organisation=org, user_id=user_id)
    context = console_context(
        org,
        membership=membership,
        member=membership.user,
        factors=selectors.second_factors_of(membership.user),
        case_memberships=selectors.case_memberships_of(organisation=org, user=membership.user),
        is_self=membership.user_id == request.user.pk,
    )
    return render(request, "orgadmin/member.html", context)


@login_required
@sensitive
@require_http_methods(["GET", "POST"])
def member_role(request: HttpRequest, organisation: str, user_id: str) -> HttpResponse:
    """Give a member another role (re-authenticated; the organisation keeps at least one admin)."""
    org = organisation_or_404(request, organisation)
    membership = found_or_404(selectors.member_of, organisation=org, user_id=user_id)
    form = RoleForm(request.POST or None, initial={"role": membership.role})

    def save(data: dict[str, Any]) -> Any:
        changed = member_role_change(actor=request.user, organisation=org, user=membership.user, role=data["role"])
        messages.success(
            request,
            _("%(email)s now has the role %(role)s.")
            % {"email": membership.user.email, "role": Role(changed.role).label},
        )
        return changed

    return form_page(
        request,
        form=form,
        save=save,
        success_url=lambda _membership: member_url(org, membership.user_id),
        context=console_context(
            org,
            title=_("Role of %(email)s") % {"email": membership.user.email},
            cancel_url=member_url(org, membership.user_id),
            submit_label=_("Change the role"),
        ),
    )


@login_required
@sensitive
@require_http_methods(["GET", "POST"])
def member_case_add(request: HttpRequest, organisation: str, user_id: str) -> HttpResponse:
    """Make a member a member of a case, found by its reference (re-authenticated)."""
    org = organisation_or_404(request, organisation)
    membership = found_or_404(selectors.member_of, organisation=org, user_id=user_id)
    form = CaseMembershipForm(request.POST or None)

    def save(data: dict[str, Any]) -> Any:
        if membership.role == Role.ANALYST:
            # Analysts work on de-identified aggregates: a case membership would give them nothing to read.
            raise ValidationError(
                {"reference": _("Analysts see aggregates only and are not members of cases. Change the role first.")}
            )
        try:
            case = selectors.case_by_reference(organisation=org, reference=data["reference"])
        except Case.DoesNotExist:
            raise ValidationError(
                {"reference": _("No case of this organisation has this reference. Check it on the case page.")}
            ) from None
        added = case_member_add(actor=request.user, case=case, user=membership.user)
        messages.success(
            request,
            _("%(email)s is now a member of case %(reference)s.")
            % {"email": membership.user.email, "reference": case.reference},
        )
        return added

    return form_page(
        request,
        form=form,
        save=save,
        success_url=lambda _added: member_url(org, membership.user_id),
        context=console_context(
            org,
            title=_("Add %(email)s to a case") % {"email": membership.user.email},
            cancel_url=member_url(org, membership.user_id),
            submit_label=_("Add to the case"),
        ),
    )


@login_required
@sensitive
@require_http_methods(["GET", "POST"])
def member_case_remove(request: HttpRequest, organisation: str, user_id: str, case_id: str) -> HttpResponse:
    """Withdraw a member's access to one case, after confirming (re-authenticated)."""
    org = organisation_or_404(request, organisation)
    membership = found_or_404(selectors.member_of, organisation=org, user_id=user_id)
    case = found_or_404(selectors.case_of, organisation=org, case_id=case_id)
    if request.method == "POST":
        case_member_remove(actor=request.user, case=case, user=membership.user)
        messages.success(
            request,
            _("%(email)s is no longer a member of case %(reference)s.")
            % {"email": membership.user.email, "reference": case.reference},
        )
        return saved(request, member_url(org, membership.user_id))
    context = console_context(org, member=membership.user, case=case, cancel_url=member_url(org, membership.user_id))
    return render(request, "orgadmin/member_case_remove.html", context)


urlpatterns = [
    path("", index, name="index"),
    path("<slug:organisation>/", dashboard, name="dashboard"),
    path("<slug:organisation>/users/", staff, name="staff"),
    path("<slug:organisation>/users/<uuid:user_id>/", member, name="member"),
    path("<slug:organisation>/users/<uuid:user_id>/role/", member_role, name="member_role"),
    path("<slug:organisation>/users/<uuid:user_id>/cases/", member_case_add, name="member_case_add"),
    path(
        "<slug:organisation>/users/<uuid:user_id>/cases/<uuid:case_id>/remove/",
        member_case_remove,
        name="member_case_remove",
    ),
]
