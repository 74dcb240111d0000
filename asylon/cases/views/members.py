"""Who may open a case: its staff members; organisation admins add and remove them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from asylon.cases.forms.members import MemberAddForm
from asylon.cases.models import Case
from asylon.cases.selectors import case_get, member_of_case, members_with_roles
from asylon.cases.services.case import case_member_add, case_member_remove
from asylon.cases.views.links import case_url
from asylon.common.form_pages import form_page, found_or_404, require_or_403, saved

TEMPLATE = "cases/members.html"


def members_url(case: Case) -> str:
    return reverse("cases:member_list", args=[case.pk])


@login_required
@require_http_methods(["GET", "POST"])
def member_list(request: HttpRequest, case_id: str) -> HttpResponse:
    """The case's members for anyone who may open it; for organisation admins, adding a colleague."""
    case = found_or_404(case_get, user=request.user, case_id=case_id)
    require_or_403(request.user, "cases.view_case", case)
    may_manage = request.user.has_perm("cases.manage_casemembership", case)
    if request.method == "POST" and not may_manage:
        raise PermissionDenied("cases.manage_casemembership")
    context = {
        "title": _("Members of case %(reference)s") % {"reference": case.reference},
        "case_id": case.pk,
        "case_url": case_url(case),
        "members": members_with_roles(user=request.user, case=case),
        "may_manage": may_manage,
        "submit_label": _("Add to the case"),
    }
    if not may_manage:
        return render(request, TEMPLATE, context)
    form = MemberAddForm(request.POST or None, case=case)
    return form_page(
        request,
        form=form,
        template=TEMPLATE,
        save=lambda data: case_member_add(actor=request.user, case=case, **data),
        success_url=lambda _membership: members_url(case),
        context=context,
    )


@login_required
@require_POST
def member_remove(request: HttpRequest, case_id: str, user_id: str) -> HttpResponse:
    """Withdraw a member's access to the case (organisation admins)."""
    case = found_or_404(case_get, user=request.user, case_id=case_id)
    member = found_or_404(member_of_case, user=request.user, case=case, user_id=user_id)
    require_or_403(request.user, "cases.manage_casemembership", case)
    case_member_remove(actor=request.user, case=case, user=member)
    return saved(request, members_url(case))


urlpatterns = [
    path("<uuid:case_id>/members/", member_list, name="member_list"),
    path("<uuid:case_id>/members/<uuid:user_id>/remove/", member_remove, name="member_remove"),
]
