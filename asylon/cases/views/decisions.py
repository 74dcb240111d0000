"""Adding and editing decisions; saving one (re)computes its deadlines, shown on the case page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from asylon.cases.forms.decisions import DecisionForm, decision_initial
from asylon.cases.selectors import case_get, decision_of_case
from asylon.cases.services.decisions import decision_record, decision_update
from asylon.cases.views.links import case_url
from asylon.common.form_pages import form_page, found_or_404, require_or_403

TEMPLATE = "cases/decision_form.html"


@login_required
@require_http_methods(["GET", "POST"])
def decision_add(request: HttpRequest, case_id: str) -> HttpResponse:
    """Record a decision in a case; the case page then shows the deadlines it sets."""
    case = found_or_404(case_get, user=request.user, case_id=case_id)
    require_or_403(request.user, "cases.change_decision", case)
    form = DecisionForm(request.POST or None, case=case, user=request.user)
    return form_page(
        request,
        form=form,
        template=TEMPLATE,
        save=lambda data: decision_record(actor=request.user, case=case, **data),
        success_url=lambda _decision: case_url(case),
        context={
            "title": _("Add a decision to case %(reference)s") % {"reference": case.reference},
            "cancel_url": case_url(case),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_edit(request: HttpRequest, case_id: str, decision_id: str) -> HttpResponse:
    """Change a decision; only what the user changed is saved, and its deadlines follow."""
    case = found_or_404(case_get, user=request.user, case_id=case_id)
    decision = found_or_404(decision_of_case, user=request.user, case=case, decision_id=decision_id)
    require_or_403(request.user, "cases.change_decision", case)
    form = DecisionForm(
        request.POST or None,
        initial=decision_initial(request.user, decision),
        case=case,
        user=request.user,
        decision=decision,
    )
    return form_page(
        request,
        form=form,
        template=TEMPLATE,
        save=lambda _data: decision_update(actor=request.user, decision=decision, **form.changed_arguments()),
        success_url=lambda _decision: case_url(case),
        context={
            "title": _("Edit a decision of case %(reference)s") % {"reference": case.reference},
            "cancel_url": case_url(case),
        },
    )


urlpatterns = [
    path("<uuid:case_id>/decisions/new/", decision_add, name="decision_add"),
    path("<uuid:case_id>/decisions/<uuid:decision_id>/edit/", decision_edit, name="decision_edit"),
]
