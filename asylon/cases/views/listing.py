"""The case list: the cases the user may open, newest first, a page at a time."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from asylon.audit import reads
from asylon.cases.selectors import cases_visible_to

PAGE_SIZE = 50


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    """A page of the cases the user may open."""
    page = Paginator(cases_visible_to(request.user).order_by("-opened_on", "reference"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    reads.shown(page.object_list)
    return render(request, "cases/case_list.html", {"page": page})


urlpatterns = [
    path("", case_list, name="case_list"),
]
