"""The case list: the cases the user may open, filtered, searched and sorted, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_http_methods

from asylon.accounts.selectors import colleagues_of, first_organisation_of
from asylon.cases.forms.filters import CaseFilterForm
from asylon.cases.selectors_case_list import case_rows, cases_listed
from asylon.common.sealed_search import (
    PERSONAL_PARAMETERS,
    SEARCH_PARAMETER,
    HttpResponseSeeOther,
    sealed_url,
    search_from_url,
)

PAGE_SIZE = 50
LAST_PAGE = 10_000  # deeper pages are for filters and search, not for paging
MAX_QUERY = 200
SEARCH_SCOPE = "cases"
# The filters a posted search carries on as plain URL parameters: none of them names anyone.
FILTER_PARAMETERS = tuple(name for name in CaseFilterForm.base_fields if name not in PERSONAL_PARAMETERS)


@dataclass
class Page:
    """A page of the list without counting the whole list first: counting every match of a broad
    filter costs as much as finding them, and the page needs only the next fifty (and one more, to
    know whether a next page exists)."""

    number: int
    object_list: list[Any]
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1


def page_number(value: str | None) -> int:
    """The page asked for; anything that is not a page number is the first page."""
    try:
        return min(max(int(value or 1), 1), LAST_PAGE)
    except ValueError:
        return 1


def page_of(case_ids: Any, number: int) -> Page:
    start = (number - 1) * PAGE_SIZE
    fetched = list(case_ids[start : start + PAGE_SIZE + 1])
    return Page(number=number, object_list=fetched[:PAGE_SIZE], has_next=len(fetched) > PAGE_SIZE)


def _listing(request: HttpRequest, params: QueryDict, terms: dict[str, str]) -> HttpResponse:
    """Render the list for the plain filters in `params` and the opened search `terms`.

    `params` is what the page's links carry (filters, sort and the sealed `search` token); the
    search text itself is only in the form's box and in the query the selector runs."""
    organisation = first_organisation_of(request.user)
    colleagues = colleagues_of(organisation) if organisation else []
    data = params.copy()
    data.pop(SEARCH_PARAMETER, None)
    if terms.get("q"):
        data["q"] = terms["q"]
    form = CaseFilterForm(
        data or None,
        organisation=organisation,
        colleagues=colleagues,
        shown=not request.htmx,  # type: ignore[attr-defined]
    )
    filters = form.filters() if form.is_bound else {}
    case_ids = cases_listed(user=request.user, filters=filters).values_list("pk", flat=True)
    page = page_of(case_ids, page_number(params.get("page")))
    rows = case_rows(user=request.user, case_ids=page.object_list)
    query = params.copy()
    for name in ("page", *PERSONAL_PARAMETERS):
        query.pop(name, None)
    context = {"form": form, "page": page, "rows": rows, "query": query.urlencode()}
    template = "cases/case_list.html#results" if request.htmx else "cases/case_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def _search(request: HttpRequest) -> HttpResponse:
    """The filter form posted: seal the search text and show the list at a URL that names no one.

    Without JavaScript: a 303 to that URL. htmx: the results at once, with that URL to push."""
    terms = {"q": " ".join(str(request.POST.get("q", "")).split())[:MAX_QUERY]}
    keep = {name: str(request.POST.get(name, ""))[:MAX_QUERY] for name in FILTER_PARAMETERS}
    url = sealed_url(request, scope=SEARCH_SCOPE, terms=terms, keep=keep)
    if not request.htmx:  # type: ignore[attr-defined]
        return HttpResponseSeeOther(url)
    response = _listing(request, QueryDict(urlsplit(url).query), terms)
    response["HX-Push-Url"] = url
    return response


@login_required
@require_http_methods(["GET", "POST"])
def case_list(request: HttpRequest) -> HttpResponse:
    """A page of the cases the user may open; htmx requests get only the results back.

    The search text arrives by POST and travels on only sealed (`?search=`); see sealed_search."""
    if request.method == "POST":
        return _search(request)
    terms = search_from_url(request, scope=SEARCH_SCOPE)
    if isinstance(terms, HttpResponse):
        return terms
    return _listing(request, request.GET, terms)


urlpatterns = [
    path("", case_list, name="case_list"),
]
