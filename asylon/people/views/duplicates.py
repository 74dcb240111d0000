"""Duplicate candidates: the list with the scan button, the side-by-side comparison that merges (after a
fresh re-authentication), dismissing a pair, and recording a pair the person page found."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from asylon.accounts.clearance import redacted
from asylon.accounts.guards import sensitive
from asylon.accounts.permissions import CASE_WRITERS
from asylon.accounts.selectors import organisations_where
from asylon.common.form_pages import form_page, found_or_404, require_or_403
from asylon.people.forms.duplicates import FIRST, MergeForm
from asylon.people.models import Person
from asylon.people.selectors import person_get
from asylon.people.selectors_duplicates import duplicate_get, duplicates_page, reason_labels
from asylon.people.services_merge import duplicate_dismiss, duplicate_propose, persons_merge
from asylon.people.tasks import duplicates_scan_task
from asylon.people.views.detail import IDENTITY, MILITARY, _rows
from asylon.people.views.links import person_url

NAMES = ("given_name", "patronymic", "family_name")


@login_required
@require_GET
def duplicate_list(request: HttpRequest) -> HttpResponse:
    """Open duplicate candidates whose both persons the user may see, best first."""
    return render(
        request,
        "people/duplicates/duplicate_list.html",
        {
            "rows": duplicates_page(user=request.user),
            "may_scan": organisations_where(request.user, *CASE_WRITERS).exists(),
            "scan_started": request.GET.get("scan") == "started",
        },
    )


@login_required
@require_POST
def duplicate_scan(request: HttpRequest) -> HttpResponse:
    """Start a scan of every organisation where the user writes cases (a background task; ids only)."""
    organisations = list(organisations_where(request.user, *CASE_WRITERS))
    if not organisations:
        raise PermissionDenied
    for organisation in organisations:
        require_or_403(request.user, "people.add_person", organisation)
        duplicates_scan_task(str(request.user.pk), str(organisation.pk))
    return redirect(f"{reverse('people:duplicate_list')}?scan=started")


def _comparison(user: Any, first: Person, second: Person) -> list[dict[str, Any]]:
    """Field by field, both records as the user's clearance allows, and whether they differ."""
    names = (*NAMES, *IDENTITY, *MILITARY)
    rows = zip(_rows(redacted(user, first), names), _rows(redacted(user, second), names), strict=True)
    return [
        {
            "name": mine["name"],
            "label": mine["label"],
            "withheld": mine["withheld"] or theirs["withheld"],
            "first": mine,
            "second": theirs,
            "differs": mine["value"] != theirs["value"],
        }
        for mine, theirs in rows
    ]


@login_required
@require_http_methods(["GET", "POST"])
@sensitive
def duplicate_compare(request: HttpRequest, candidate_id: str) -> HttpResponse:
    """Two records side by side; POST merges them as chosen (after a fresh re-authentication)."""
    candidate = found_or_404(duplicate_get, user=request.user, candidate_id=candidate_id)
    if candidate.other is None:  # merged already: the pair's page leads to the record that stayed
        return redirect(person_url(candidate.person_id))
    first, second = candidate.person, candidate.other
    require_or_403(request.user, "people.merge_person", first)
    require_or_403(request.user, "people.merge_person", second)
    comparison = _comparison(request.user, first, second)
    form = MergeForm(request.POST or None, differing=[row for row in comparison if row["differs"]])

    def merge(data: dict[str, Any]) -> Person:
        survivor, merged = (first, second) if data["survivor"] == FIRST else (second, first)
        return persons_merge(actor=request.user, survivor=survivor, merged=merged, field_choices=form.field_choices())

    return form_page(
        request,
        form=form,
        save=merge,
        success_url=lambda survivor: person_url(survivor.pk),
        template="people/duplicates/duplicate_compare.html",
        context={
            "candidate": candidate,
            "reasons": reason_labels(candidate.reasons),
            "comparison": comparison,
            "first_id": first.pk,
            "second_id": second.pk,
            "title": _("Compare two records"),
            "submit_label": _("Merge the records"),
            "cancel_url": reverse("people:duplicate_list"),
        },
    )


@login_required
@require_POST
def duplicate_dismiss_view(request: HttpRequest, candidate_id: str) -> HttpResponse:
    """Record that the two records are not the same person; the pair is not proposed again."""
    candidate = found_or_404(duplicate_get, user=request.user, candidate_id=candidate_id)
    if candidate.other is None:
        raise Http404
    require_or_403(request.user, "people.merge_person", candidate.person)
    require_or_403(request.user, "people.merge_person", candidate.other)
    duplicate_dismiss(actor=request.user, candidate=candidate)
    return redirect("people:duplicate_list")


@login_required
@require_POST
def duplicate_propose_view(request: HttpRequest, person_id: str) -> HttpResponse:
    """Record a pair the person page found, then compare it."""
    person = found_or_404(person_get, user=request.user, person_id=person_id)
    other = found_or_404(person_get, user=request.user, person_id=_uuid_or_404(request.POST.get("other", "")))
    require_or_403(request.user, "people.merge_person", person)
    require_or_403(request.user, "people.merge_person", other)
    try:
        candidate = duplicate_propose(actor=request.user, person=person, other=other)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect(person_url(person.pk, "duplicates"))
    return redirect("people:duplicate_compare", candidate_id=candidate.pk)


def _uuid_or_404(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as bad:
        raise Http404 from bad


urlpatterns = [
    path("duplicates/", duplicate_list, name="duplicate_list"),
    path("duplicates/scan/", duplicate_scan, name="duplicate_scan"),
    path("duplicates/<uuid:candidate_id>/", duplicate_compare, name="duplicate_compare"),
    path("duplicates/<uuid:candidate_id>/dismiss/", duplicate_dismiss_view, name="duplicate_dismiss"),
    path("<uuid:person_id>/duplicates/", duplicate_propose_view, name="duplicate_propose"),
]
