"""Adding and changing a person's relatives."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from asylon.common.form_pages import form_page, found_or_404, require_or_403, save_changes
from asylon.people.forms.relatives import RelationshipForm
from asylon.people.models import Relationship
from asylon.people.selectors import person_get, relationship_get, relative_candidates
from asylon.people.services import relationship_add, relationship_update
from asylon.people.views.links import person_url


@login_required
@require_http_methods(["GET", "POST"])
def relationship_add_view(request: HttpRequest, person_id: str) -> HttpResponse:
    """Record a relative of the person."""
    person = found_or_404(person_get, user=request.user, person_id=person_id)
    require_or_403(request.user, "people.change_relationship", person)
    form = RelationshipForm(
        request.POST or None,
        user=request.user,
        relationship=Relationship(organisation=person.organisation, person=person),
        candidates=relative_candidates(user=request.user, person=person),
    )
    back = person_url(person.pk, "relatives")
    return form_page(
        request,
        form=form,
        save=lambda data: relationship_add(actor=request.user, person=person, **data),
        success_url=lambda saved: back,
        context={"title": _("Add a relative"), "cancel_url": back},
    )


@login_required
@require_http_methods(["GET", "POST"])
def relationship_edit_view(request: HttpRequest, person_id: str, relationship_id: str) -> HttpResponse:
    """Change what is recorded about a relative."""
    person = found_or_404(person_get, user=request.user, person_id=person_id)
    relationship = found_or_404(relationship_get, user=request.user, person=person, relationship_id=relationship_id)
    require_or_403(request.user, "people.change_relationship", person)
    form = RelationshipForm(
        request.POST or None,
        user=request.user,
        relationship=relationship,
        candidates=relative_candidates(user=request.user, person=person, current=relationship.relative_id),
    )
    form.initial = {
        name: relationship.relative_id if name == "relative" else getattr(relationship, name) for name in form.fields
    }
    back = person_url(person.pk, "relatives")
    return form_page(
        request,
        form=form,
        save=save_changes(
            form,
            lambda **changes: relationship_update(actor=request.user, relationship=relationship, **changes),
            relationship,
        ),
        success_url=lambda saved: back,
        context={"title": _("Edit a relative"), "cancel_url": back},
    )


urlpatterns = [
    path("<uuid:person_id>/relatives/new/", relationship_add_view, name="relationship_add"),
    path("<uuid:person_id>/relatives/<uuid:relationship_id>/edit/", relationship_edit_view, name="relationship_edit"),
]
