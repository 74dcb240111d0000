"""Adding a new person as a party to a case, and editing a person within the user's clearance."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from asylon.accounts.clearance import visible_fields
from asylon.cases.selectors import case_get
from asylon.cases.views.links import case_url
from asylon.common.form_pages import changed_fields, form_page, found_or_404, require_or_403, save_changes
from asylon.people.forms.person import PersonAddForm, PersonForm, person_initial
from asylon.people.models import Person
from asylon.people.selectors import person_get
from asylon.people.services import person_create, person_update
from asylon.people.views.links import person_url


def _person_fields(form: PersonAddForm, data: dict[str, Any]) -> dict[str, Any]:
    """The person's fields the user filled in (the party role is the case's, not the person's)."""
    return {name: value for name, value in changed_fields(form, data).items() if name != "role"}


@login_required
@require_http_methods(["GET", "POST"])
def person_add(request: HttpRequest, case_id: str) -> HttpResponse:
    """A new person, as a party to the case (client, co-applicant, relative or witness)."""
    case = found_or_404(case_get, user=request.user, case_id=case_id)
    require_or_403(request.user, "cases.change_case", case)
    form = PersonAddForm(request.POST or None, user=request.user, person=Person(organisation=case.organisation))
    return form_page(
        request,
        form=form,
        save=lambda data: person_create(actor=request.user, case=case, role=data["role"], **_person_fields(form, data)),
        success_url=lambda person: person_url(person.pk),
        context={
            "title": _("Add a person to case %(reference)s") % {"reference": case.reference},
            "cancel_url": case_url(case),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, person_id: str) -> HttpResponse:
    """Change a person's identity and profile, as far as the user's clearance reaches."""
    person = found_or_404(person_get, user=request.user, person_id=person_id)
    require_or_403(request.user, "people.change_person", person)
    initial = person_initial(person, PersonForm, visible_fields(request.user, person))
    form = PersonForm(request.POST or None, initial=initial, user=request.user, person=person)
    return form_page(
        request,
        form=form,
        save=save_changes(form, lambda **changes: person_update(actor=request.user, person=person, **changes), person),
        success_url=lambda saved: person_url(person.pk),
        context={"title": _("Edit person"), "cancel_url": person_url(person.pk)},
    )


urlpatterns = [
    path("add-to-case/<uuid:case_id>/", person_add, name="person_add"),
    path("<uuid:person_id>/edit/", person_edit, name="person_edit"),
]
