"""People pages under /people/: finding a person by name in any script."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from asylon.accounts.clearance import redacted_many
from asylon.people.selectors import persons_matching_name

RESULT_LIMIT = 50


@login_required
@require_GET
def person_search(request: HttpRequest) -> HttpResponse:
    """Persons whose names match the query in any script or transliteration."""
    query = request.GET.get("q", "").strip()[:200]
    persons = persons_matching_name(user=request.user, text=query)[:RESULT_LIMIT] if query else []
    return render(
        request, "people/person_search.html", {"query": query, "persons": redacted_many(request.user, persons)}
    )


urlpatterns = [
    path("", person_search, name="person_search"),
]
