"""Finding a person by a name in any script or transliteration, or by an identity document number."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from asylon.accounts.clearance import redacted
from asylon.people.selectors import cases_of_persons, organisations_searchable_by, persons_found

PAGE_SIZE = 25
MAX_QUERY = 200


@login_required
@require_GET
def person_search(request: HttpRequest) -> HttpResponse:
    """A page of the visible persons matching the name and/or document number asked for."""
    name = request.GET.get("q", "").strip()[:MAX_QUERY]
    number = request.GET.get("number", "").strip()[:MAX_QUERY]
    results = []
    page = None
    if name or number:
        page = Paginator(persons_found(user=request.user, name=name, number=number), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        persons = list(page.object_list)
        cases = cases_of_persons(user=request.user, persons=persons)
        results = [{"person": redacted(request.user, person), "cases": cases[person.pk]} for person in persons]
    return render(
        request,
        "people/person_search.html",
        {
            "query": name,
            "number": number,
            "searched": bool(name or number),
            "page": page,
            "results": results,
            "may_search": bool(organisations_searchable_by(request.user, "given_name")),
        },
    )


urlpatterns = [
    path("", person_search, name="person_search"),
]
