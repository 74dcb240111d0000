"""The case page: the case and its records as the viewer's clearance allows."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from asylon.cases import selectors_case_page as page
from asylon.cases.selectors import case_page_get
from asylon.common.form_pages import found_or_404


class PermissionsOn:
    """`{% if may.cases.change_proceeding %}` in the case page: whether the viewer holds a permission on
    this case. The page's `case` is a redacted view, which rules predicates cannot judge."""

    def __init__(self, user: Any, obj: Any, app: str = "", known: dict[str, bool] | None = None) -> None:
        self.user, self.obj, self.app = user, obj, app
        self.known = {} if known is None else known  # asked once per page, however many items link

    def __getitem__(self, name: str) -> Any:
        if not self.app:
            return PermissionsOn(self.user, self.obj, name, self.known)
        permission = f"{self.app}.{name}"
        if permission not in self.known:
            self.known[permission] = self.user.has_perm(permission, self.obj)
        return self.known[permission]


@login_required
@require_GET
def case_detail(request: HttpRequest, case_id: str) -> HttpResponse:
    """One case as the user's clearance allows: overview, parties, statuses, timeline and the work on it."""
    user = request.user
    case = found_or_404(case_page_get, user=user, case_id=case_id)
    context = {
        "case": page.case_overview(user=user, case=case),
        "parties": page.parties_display(user=user, case=case),
        "status_groups": page.status_groups_display(user=user, case=case),
        "timeline": page.timeline_display(user=user, case=case),
        "deadlines": page.open_deadlines_display(user=user, case=case),
        "tasks": page.open_tasks_display(user=user, case=case),
        "notes": page.notes_display(user=user, case=case),
        "documents": page.documents_display(user=user, case=case),
        "sources": page.sources_of_case(user=user, case=case),
        "members": page.members_display(user=user, case=case),
        "may": PermissionsOn(user, case),
    }
    return render(request, "cases/case_detail.html", context)


urlpatterns = [
    path("<uuid:case_id>/", case_detail, name="case_detail"),
]
