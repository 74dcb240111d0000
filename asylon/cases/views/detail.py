"""The case page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from asylon.cases.selectors import case_display
from asylon.common.form_pages import found_or_404


@login_required
@require_GET
def case_detail(request: HttpRequest, case_id: str) -> HttpResponse:
    """One case as the user's clearance allows."""
    case = found_or_404(case_display, user=request.user, case_id=case_id)
    return render(request, "cases/case_detail.html", {"case": case})


urlpatterns = [
    path("<uuid:case_id>/", case_detail, name="case_detail"),
]
