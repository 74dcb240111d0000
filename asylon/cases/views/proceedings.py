"""Adding and editing a case's proceedings (lawyers and org admins) and scheduling their hearings."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from asylon.cases.forms.proceedings import HearingForm, ProceedingForm
from asylon.cases.selectors import case_get, proceeding_of_case
from asylon.cases.services.proceedings import hearing_schedule, proceeding_record, proceeding_update
from asylon.cases.views.links import case_url
from asylon.common.form_pages import form_page, found_or_404, require_or_403


@login_required
@require_http_methods(["GET", "POST"])
def proceeding_add(request: HttpRequest, case_id: str) -> HttpResponse:
    """Record an appeal or complaint in a case."""
    case = found_or_404(case_get, user=request.user, case_id=case_id)
    require_or_403(request.user, "cases.change_proceeding", case)
    form = ProceedingForm(request.POST or None, case=case, user=request.user)
    return form_page(
        request,
        form=form,
        save=lambda data: proceeding_record(actor=request.user, case=case, **data),
        success_url=lambda _proceeding: case_url(case),
        context={
            "title": _("Add a proceeding to case %(reference)s") % {"reference": case.reference},
            "case": case,
            "cancel_url": case_url(case),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def proceeding_edit(request: HttpRequest, case_id: str, proceeding_id: str) -> HttpResponse:
    """Change a proceeding: its tier, court, decision challenged, dates, outcome or reference."""
    case = found_or_404(case_get, user=request.user, case_id=case_id)
    proceeding = found_or_404(proceeding_of_case, user=request.user, case=case, proceeding_id=proceeding_id)
    require_or_403(request.user, "cases.change_proceeding", case)
    initial = {
        "tier": proceeding.tier,
        "court": proceeding.court.code,
        "decision": proceeding.decision_id,
        "lodged_on": proceeding.lodged_on,
        "outcome": proceeding.outcome.code if proceeding.outcome else "",
        "decided_year": proceeding.decided_year,
        "court_reference": proceeding.court_reference,
    }
    form = ProceedingForm(request.POST or None, initial=initial, case=case, user=request.user)
    return form_page(
        request,
        form=form,
        save=lambda data: proceeding_update(actor=request.user, proceeding=proceeding, **data),
        success_url=lambda _proceeding: case_url(case),
        context={
            "title": _("Edit a proceeding of case %(reference)s") % {"reference": case.reference},
            "case": case,
            "cancel_url": case_url(case),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def hearing_add(request: HttpRequest, case_id: str, proceeding_id: str) -> HttpResponse:
    """Schedule a hearing of a proceeding."""
    case = found_or_404(case_get, user=request.user, case_id=case_id)
    proceeding = found_or_404(proceeding_of_case, user=request.user, case=case, proceeding_id=proceeding_id)
    require_or_403(request.user, "cases.change_proceeding", case)
    form = HearingForm(request.POST or None)
    return form_page(
        request,
        form=form,
        template="cases/hearing_form.html",
        save=lambda data: hearing_schedule(actor=request.user, proceeding=proceeding, **data),
        success_url=lambda _hearing: case_url(case),
        context={
            "title": _("Add a hearing to case %(reference)s") % {"reference": case.reference},
            "case": case,
            "proceeding": proceeding,
            "cancel_url": case_url(case),
        },
    )


urlpatterns = [
    path("<uuid:case_id>/proceedings/new/", proceeding_add, name="proceeding_add"),
    path("<uuid:case_id>/proceedings/<uuid:proceeding_id>/edit/", proceeding_edit, name="proceeding_edit"),
    path("<uuid:case_id>/proceedings/<uuid:proceeding_id>/hearings/new/", hearing_add, name="hearing_add"),
]
