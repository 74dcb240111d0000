"""The root redirect, the staff home page and the health probe."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from asylon.accounts.selectors import memberships_of
from asylon.cases.selectors import cases_visible_to


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability for probes; reveals nothing else."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def root(request: HttpRequest) -> HttpResponse:
    return redirect("home" if request.user.is_authenticated else "account_login")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The minimal staff home: the user's organisations and roles, and how many cases they can open."""
    return render(
        request,
        "common/home.html",
        {"memberships": memberships_of(request.user), "case_count": cases_visible_to(request.user).count()},
    )
