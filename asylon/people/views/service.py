"""Adding and changing a person's periods of military or security service."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from asylon.common.form_pages import form_page, found_or_404, require_or_403, save_changes
from asylon.people.forms.service import ServicePeriodForm
from asylon.people.models import MilitaryServicePeriod
from asylon.people.selectors import person_get, service_period_get
from asylon.people.services import military_service_add, military_service_update
from asylon.people.views.links import person_url


@login_required
@require_http_methods(["GET", "POST"])
def service_add(request: HttpRequest, person_id: str) -> HttpResponse:
    """Record a period of service."""
    person = found_or_404(person_get, user=request.user, person_id=person_id)
    require_or_403(request.user, "people.change_militaryserviceperiod", person)
    period = MilitaryServicePeriod(organisation=person.organisation, person=person)
    form = ServicePeriodForm(request.POST or None, user=request.user, period=period)
    back = person_url(person.pk, "service")
    return form_page(
        request,
        form=form,
        save=lambda data: military_service_add(actor=request.user, person=person, **data),
        success_url=lambda saved: back,
        context={"title": _("Add a period of service"), "cancel_url": back},
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, person_id: str, period_id: str) -> HttpResponse:
    """Change a period of service; restricted fields only for who may read them."""
    person = found_or_404(person_get, user=request.user, person_id=person_id)
    period = found_or_404(service_period_get, user=request.user, person=person, period_id=period_id)
    require_or_403(request.user, "people.change_militaryserviceperiod", person)
    form = ServicePeriodForm(request.POST or None, user=request.user, period=period)
    form.initial = {name: getattr(period, name) for name in form.fields}
    back = person_url(person.pk, "service")
    return form_page(
        request,
        form=form,
        save=save_changes(
            form, lambda **changes: military_service_update(actor=request.user, period=period, **changes), period
        ),
        success_url=lambda saved: back,
        context={"title": _("Edit a period of service"), "cancel_url": back},
    )


urlpatterns = [
    path("<uuid:person_id>/service/new/", service_add, name="service_add"),
    path("<uuid:person_id>/service/<uuid:period_id>/edit/", service_edit, name="service_edit"),
]
