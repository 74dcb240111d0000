"""Opening a case and changing its status, risk, lead, dates and summary."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from asylon.accounts.permissions import CASE_WRITERS
from asylon.accounts.selectors import organisations_where
from asylon.cases.forms.case import CaseEditForm, CaseOpenForm
from asylon.cases.selectors import case_get
from asylon.cases.services.case import case_open, case_update
from asylon.cases.views.links import case_url
from asylon.common.form_pages import form_page, found_or_404, require_or_403


@login_required
@require_http_methods(["GET", "POST"])
def case_open_view(request: HttpRequest) -> HttpResponse:
    """Open a new case in one of the organisations where the user may."""
    organisations = organisations_where(request.user, *CASE_WRITERS)
    if not organisations.exists():
        raise PermissionDenied("cases.add_case")
    form = CaseOpenForm(request.POST or None, organisations=organisations)
    return form_page(
        request,
        form=form,
        save=lambda data: case_open(actor=request.user, **data),
        success_url=case_url,
        context={"title": _("Open a case"), "cancel_url": reverse("cases:case_list")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_edit_view(request: HttpRequest, case_id: str) -> HttpResponse:
    """Change a case the user may write to."""
    case = found_or_404(case_get, user=request.user, case_id=case_id)
    require_or_403(request.user, "cases.change_case", case)
    initial = {name: getattr(case, name) for name in CaseEditForm.base_fields}
    form = CaseEditForm(request.POST or None, initial=initial, organisation=case.organisation)
    return form_page(
        request,
        form=form,
        save=lambda data: case_update(actor=request.user, case=case, **data),
        success_url=case_url,
        context={"title": _("Edit case %(reference)s") % {"reference": case.reference}, "cancel_url": case_url(case)},
    )


urlpatterns = [
    path("new/", case_open_view, name="case_open"),
    path("<uuid:case_id>/edit/", case_edit_view, name="case_edit"),
]
