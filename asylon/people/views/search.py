"""Finding a person by a name in any script or transliteration, or by an identity document number.

The name and the number are posted, sealed, and carried in the URL only as `?search=<token>`
(asylon/common/sealed_search.py): they never reach browser history or an access log."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_http_methods

from asylon.accounts.clearance import redacted
from asylon.common.sealed_search import SEARCH_PARAMETER, HttpResponseSeeOther, sealed_url, search_from_url
from asylon.people.selectors import cases_of_persons, organisations_searchable_by, persons_found

PAGE_SIZE = 25
MAX_QUERY = 200
SEARCH_SCOPE = "people"


@login_required
@require_http_methods(["GET", "POST"])
def person_search(request: HttpRequest) -> HttpResponse:
    """A page of the visible persons matching the name and/or document number asked for.

    POST (the search form): seal the name and number and redirect to the results at a URL that
    names no one. GET: open `?search=` and show that page of results."""
    if request.method == "POST":
        posted = {name: str(request.POST.get(name, "")).strip()[:MAX_QUERY] for name in ("q", "number")}
        return HttpResponseSeeOther(sealed_url(request, scope=SEARCH_SCOPE, terms=posted, keep={}))
    terms = search_from_url(request, scope=SEARCH_SCOPE)
    if isinstance(terms, HttpResponse):
        return terms
    name = terms.get("q", "").strip()[:MAX_QUERY]
    number = terms.get("number", "").strip()[:MAX_QUERY]
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
            "search_token": request.GET.get(SEARCH_PARAMETER, "") if page else "",
            "searched": bool(name or number),
            "page": page,
            "results": results,
            "may_search": bool(organisations_searchable_by(request.user, "given_name")),
        },
    )


urlpatterns = [
    path("", person_search, name="person_search"),
]
