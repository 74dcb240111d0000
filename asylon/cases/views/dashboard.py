"""The signed-in user's dashboard at /home/ (URL name `home`): my deadlines, urgent cases, my tasks."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from asylon.accounts.models import Role
from asylon.accounts.selectors import memberships_of
from asylon.cases.selectors_work import URGENT_DEADLINE_DAYS, WEEK_DAYS, dashboard_for


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """What needs the user's attention today; roles that open no cases are told what they can do instead."""
    memberships = list(memberships_of(request.user))
    return render(
        request,
        "cases/dashboard.html",
        {
            "dashboard": dashboard_for(user=request.user, today=timezone.localdate()),
            "memberships": memberships,
            "is_analyst": any(membership.role == Role.ANALYST for membership in memberships),
            "week_days": WEEK_DAYS,
            "urgent_days": URGENT_DEADLINE_DAYS,
        },
    )
