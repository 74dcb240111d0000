"""Adding and editing the events of a case's timeline (ESF acts)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from asylon.cases.forms.events import EventForm, event_initial
from asylon.cases.selectors import case_get, event_of_case
from asylon.cases.services.events import event_record, event_update
from asylon.cases.views.links import case_url
from asylon.common.form_pages import form_page, found_or_404, require_or_403

TEMPLATE = "cases/event_form.html"


@login_required
@require_http_methods(["GET", "POST"])
def event_add(request: HttpRequest, case_id: str) -> HttpResponse:
    """Record an event in a case."""
    case = found_or_404(case_get, user=request.user, case_id=case_id)
    require_or_403(request.user, "cases.change_event", case)
    form = EventForm(request.POST or None, case=case, user=request.user)
    return form_page(
        request,
        form=form,
        template=TEMPLATE,
        save=lambda data: event_record(actor=request.user, case=case, **data),
        success_url=lambda _event: case_url(case),
        context={
            "title": _("Add an event to case %(reference)s") % {"reference": case.reference},
            "cancel_url": case_url(case),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, case_id: str, event_id: str) -> HttpResponse:
    """Change an event; only what the user changed is saved (and audited)."""
    case = found_or_404(case_get, user=request.user, case_id=case_id)
    event = found_or_404(event_of_case, user=request.user, case=case, event_id=event_id)
    require_or_403(request.user, "cases.change_event", case)
    form = EventForm(request.POST or None, initial=event_initial(request.user, event), case=case, user=request.user)
    return form_page(
        request,
        form=form,
        template=TEMPLATE,
        save=lambda _data: event_update(actor=request.user, event=event, **form.changed_arguments()),
        success_url=lambda _event: case_url(case),
        context={
            "title": _("Edit an event of case %(reference)s") % {"reference": case.reference},
            "cancel_url": case_url(case),
        },
    )


urlpatterns = [
    path("<uuid:case_id>/events/new/", event_add, name="event_add"),
    path("<uuid:case_id>/events/<uuid:event_id>/edit/", event_edit, name="event_edit"),
]
