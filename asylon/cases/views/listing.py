"""The case list: the cases the user may open, filtered, searched and sorted, a page at a time."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from asylon.accounts.models import Membership
from asylon.accounts.selectors import colleagues_of
from asylon.cases.forms.filters import CaseFilterForm
from asylon.cases.selectors import case_rows, cases_listed

PAGE_SIZE = 50


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    """A page of the cases the user may open; htmx requests get only the results back."""
    membership = Membership.objects.filter(user_id=str(request.user.pk)).select_related("organisation").first()
    organisation = membership.organisation if membership else None
    colleagues = colleagues_of(organisation) if organisation else []
    form = CaseFilterForm(
        request.GET or None,
        organisation=organisation,
        colleagues=colleagues,
        shown=not request.htmx,  # type: ignore[attr-defined]
    )
    filters = form.filters() if form.is_bound else {}
    case_ids = cases_listed(user=request.user, filters=filters).values_list("pk", flat=True)
    page = Paginator(case_ids, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = case_rows(user=request.user, case_ids=page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "rows": rows, "query": query.urlencode()}
    template = "cases/case_list.html#results" if request.htmx else "cases/case_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


urlpatterns = [
    path("", case_list, name="case_list"),
]
