"""Adding and editing the dated statuses of the persons in a case (residence, procedure, liberty, document)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from asylon.cases.forms.statuses import StatusPeriodForm
from asylon.cases.models import Case
from asylon.cases.selectors import case_get, status_period_of_case
from asylon.cases.services.statuses import status_period_record, status_period_update
from asylon.cases.views.links import case_url
from asylon.common.form_pages import form_page, found_or_404, require_or_403


def _status_form_page(
    request: HttpRequest, *, case: Case, initial: dict[str, Any], save: Callable[[dict[str, Any]], Any], title: str
) -> HttpResponse:
    """The status form of a case; `?kind=` (the form reloading itself) picks the statuses offered."""
    if "kind" in request.GET:
        initial = {**initial, "kind": request.GET["kind"]}
    form = StatusPeriodForm(
        request.POST or None, initial=initial, case=case, viewer=request.user, refresh_url=request.path
    )
    return form_page(
        request,
        form=form,
        save=save,
        success_url=lambda _period: case_url(case),
        context={"title": title, "case": case, "cancel_url": case_url(case)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def status_add(request: HttpRequest, case_id: str) -> HttpResponse:
    """Record a dated status of a person in a case."""
    case = found_or_404(case_get, user=request.user, case_id=case_id)
    require_or_403(request.user, "cases.change_statusperiod", case)
    return _status_form_page(
        request,
        case=case,
        initial={"kind": ""},
        save=lambda data: status_period_record(actor=request.user, case=case, **data),
        title=_("Add a status to case %(reference)s") % {"reference": case.reference},
    )


@login_required
@require_http_methods(["GET", "POST"])
def status_edit(request: HttpRequest, case_id: str, status_id: str) -> HttpResponse:
    """Change a status period: its status, dates, or whether it is current."""
    case = found_or_404(case_get, user=request.user, case_id=case_id)
    period = found_or_404(status_period_of_case, user=request.user, case=case, status_id=status_id)
    require_or_403(request.user, "cases.change_statusperiod", case)
    fields = ("person", "kind", "status", "started_on", "ended_on", "current")
    return _status_form_page(
        request,
        case=case,
        initial={name: getattr(period, "person_id" if name == "person" else name) for name in fields},
        save=lambda data: status_period_update(actor=request.user, status_period=period, **data),
        title=_("Edit a status in case %(reference)s") % {"reference": case.reference},
    )


urlpatterns = [
    path("<uuid:case_id>/statuses/new/", status_add, name="status_add"),
    path("<uuid:case_id>/statuses/<uuid:status_id>/edit/", status_edit, name="status_edit"),
]
