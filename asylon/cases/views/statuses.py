"""Adding and editing the dated statuses of the persons in a case (residence, procedure, liberty, document)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from asylon.cases.forms.statuses import StatusPeriodForm
from asylon.cases.selectors import case_get, status_period_of_case
from asylon.cases.services.statuses import status_period_record, status_period_update
from asylon.cases.views.links import case_url
from asylon.common.form_pages import form_page, found_or_404, require_or_403


@login_required
@require_http_methods(["GET", "POST"])
def status_add(request: HttpRequest, case_id: str) -> HttpResponse:
    """Record a dated status of a person in a case."""
    case = found_or_404(case_get, user=request.user, case_id=case_id)
    require_or_403(request.user, "cases.change_statusperiod", case)
    initial = {"kind": request.GET.get("kind", "")}
    form = StatusPeriodForm(
        request.POST or None, initial=initial, case=case, viewer=request.user, refresh_url=request.path
    )
    return form_page(
        request,
        form=form,
        template="cases/status_form.html",
        save=lambda data: status_period_record(actor=request.user, case=case, **data),
        success_url=lambda _period: case_url(case),
        context={
            "title": _("Add a status to case %(reference)s") % {"reference": case.reference},
            "case": case,
            "cancel_url": case_url(case),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def status_edit(request: HttpRequest, case_id: str, status_id: str) -> HttpResponse:
    """Change a status period: its status, dates, or whether it is current."""
    case = found_or_404(case_get, user=request.user, case_id=case_id)
    period = found_or_404(status_period_of_case, user=request.user, case=case, status_id=status_id)
    require_or_403(request.user, "cases.change_statusperiod", case)
    initial = {
        "person": period.person_id,
        "kind": period.kind,
        "status": period.status,
        "started_on": period.started_on,
        "ended_on": period.ended_on,
        "current": period.current,
    }
    if "kind" in request.GET:
        initial["kind"] = request.GET["kind"]
    form = StatusPeriodForm(
        request.POST or None, initial=initial, case=case, viewer=request.user, refresh_url=request.path
    )
    return form_page(
        request,
        form=form,
        template="cases/status_form.html",
        save=lambda data: status_period_update(actor=request.user, status_period=period, **data),
        success_url=lambda _period: case_url(case),
        context={
            "title": _("Edit a status in case %(reference)s") % {"reference": case.reference},
            "case": case,
            "cancel_url": case_url(case),
        },
    )


urlpatterns = [
    path("<uuid:case_id>/statuses/new/", status_add, name="status_add"),
    path("<uuid:case_id>/statuses/<uuid:status_id>/edit/", status_edit, name="status_edit"),
]
