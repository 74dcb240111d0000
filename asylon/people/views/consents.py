"""Recording consent for a purpose, and its withdrawal."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from asylon.common.form_pages import form_page, found_or_404, require_or_403
from asylon.people.forms.consents import ConsentForm, ConsentWithdrawForm
from asylon.people.selectors import consent_get, person_get
from asylon.people.services import consent_record
from asylon.people.services_consent import WITHDRAWAL_STOPS, consent_withdraw
from asylon.people.views.links import person_url


@login_required
@require_http_methods(["GET", "POST"])
def consent_add(request: HttpRequest, person_id: str) -> HttpResponse:
    """Record consent the person gave for one purpose."""
    person = found_or_404(person_get, user=request.user, person_id=person_id)
    require_or_403(request.user, "people.change_consentrecord", person)
    form = ConsentForm(request.POST or None, initial={"given_on": datetime.date.today()})
    back = person_url(person.pk, "consents")
    return form_page(
        request,
        form=form,
        save=lambda data: consent_record(actor=request.user, person=person, **data),
        success_url=lambda saved: back,
        context={"title": _("Record consent"), "cancel_url": back},
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent_withdraw_view(request: HttpRequest, person_id: str, consent_id: str) -> HttpResponse:
    """Record that the person withdrew a consent."""
    person = found_or_404(person_get, user=request.user, person_id=person_id)
    consent = found_or_404(consent_get, user=request.user, person=person, consent_id=consent_id)
    require_or_403(request.user, "people.change_consentrecord", person)
    form = ConsentWithdrawForm(request.POST or None, initial={"withdrawn_on": datetime.date.today()})
    back = person_url(person.pk, "consents")
    return form_page(
        request,
        form=form,
        save=lambda data: consent_withdraw(actor=request.user, consent=consent, **data),
        success_url=lambda saved: back,
        template="people/consent_withdraw.html",
        context={
            "title": _("Withdraw consent: %(purpose)s") % {"purpose": consent.get_purpose_display()},
            "stops": WITHDRAWAL_STOPS.get(consent.purpose, ""),
            "cancel_url": back,
            "submit_label": _("Withdraw consent"),
        },
    )


urlpatterns = [
    path("<uuid:person_id>/consents/new/", consent_add, name="consent_add"),
    path("<uuid:person_id>/consents/<uuid:consent_id>/withdraw/", consent_withdraw_view, name="consent_withdraw"),
]
