"""Adding and editing what the organisation did in a case (interventions) and the response."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from asylon.cases.forms.interventions import InterventionForm
from asylon.cases.selectors import case_get, intervention_of_case
from asylon.cases.services.interventions import intervention_record, intervention_update
from asylon.cases.views.links import case_url
from asylon.common.form_pages import form_page, found_or_404, require_or_403


@login_required
@require_http_methods(["GET", "POST"])
def intervention_add(request: HttpRequest, case_id: str) -> HttpResponse:
    """Record an intervention in a case."""
    case = found_or_404(case_get, user=request.user, case_id=case_id)
    require_or_403(request.user, "cases.change_intervention", case)
    initial = {"carried_out_on": datetime.date.today(), "performed_by": request.user.pk}
    form = InterventionForm(request.POST or None, initial=initial, organisation=case.organisation)
    return form_page(
        request,
        form=form,
        save=lambda data: intervention_record(actor=request.user, case=case, **data),
        success_url=lambda _intervention: case_url(case),
        context={
            "title": _("Add an intervention to case %(reference)s") % {"reference": case.reference},
            "case": case,
            "cancel_url": case_url(case),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def intervention_edit(request: HttpRequest, case_id: str, intervention_id: str) -> HttpResponse:
    """Change an intervention, for example to record the response."""
    case = found_or_404(case_get, user=request.user, case_id=case_id)
    intervention = found_or_404(intervention_of_case, user=request.user, case=case, intervention_id=intervention_id)
    require_or_403(request.user, "cases.change_intervention", case)
    initial = {
        "intervention_type": intervention.intervention_type.code,
        "carried_out_on": intervention.carried_out_on,
        "performed_by": intervention.performed_by_id,
        "addressee": intervention.addressee,
        "description": intervention.description,
        "response": intervention.response,
    }
    form = InterventionForm(request.POST or None, initial=initial, organisation=case.organisation)
    return form_page(
        request,
        form=form,
        save=lambda data: intervention_update(actor=request.user, intervention=intervention, **data),
        success_url=lambda _intervention: case_url(case),
        context={
            "title": _("Edit an intervention of case %(reference)s") % {"reference": case.reference},
            "case": case,
            "cancel_url": case_url(case),
        },
    )


urlpatterns = [
    path("<uuid:case_id>/interventions/new/", intervention_add, name="intervention_add"),
    path("<uuid:case_id>/interventions/<uuid:intervention_id>/edit/", intervention_edit, name="intervention_edit"),
]
