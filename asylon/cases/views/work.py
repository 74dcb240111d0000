"""Tasks and deadlines of a case: add and edit tasks, complete them, enter deadlines by hand, and
record a deadline's status. The per-item actions answer htmx with their own fragment (the row
updates in place) and a plain POST with a redirect back to the page it came from."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from asylon.cases.forms.work import DeadlineForm, DeadlineStatusForm, TaskForm
from asylon.cases.models import Case
from asylon.cases.selectors import case_get, deadline_of_case, task_of_case
from asylon.cases.services.work import deadline_add, deadline_set_status, task_complete, task_create, task_update
from asylon.cases.views.links import case_url
from asylon.common.form_pages import form_page, found_or_404, require_or_403

ACTIONS_PARTIAL = "actions"


def back_url(request: HttpRequest, case: Case) -> str:
    """Where a plain POST returns: the page it came from (`next`, same site only), else the case page."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return case_url(case)


def _first_error(error: ValidationError) -> str:
    return next(iter(error.messages), _("The change could not be saved."))


@login_required
@require_http_methods(["GET", "POST"])
def task_add_view(request: HttpRequest, case_id: str) -> HttpResponse:
    """Add a task to a case."""
    case = found_or_404(case_get, user=request.user, case_id=case_id)
    require_or_403(request.user, "cases.change_task", case)
    form = TaskForm(request.POST or None, case=case)
    return form_page(
        request,
        form=form,
        save=lambda data: task_create(actor=request.user, case=case, **data),
        success_url=lambda task: case_url(case),
        context={
            "title": _("Add a task to case %(reference)s") % {"reference": case.reference},
            "cancel_url": case_url(case),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_edit_view(request: HttpRequest, case_id: str, task_id: str) -> HttpResponse:
    """Change a task's title, assignee or due date."""
    case = found_or_404(case_get, user=request.user, case_id=case_id)
    task = found_or_404(task_of_case, user=request.user, case=case, task_id=task_id)
    require_or_403(request.user, "cases.change_task", case)
    initial = {"title": task.title, "assignee": task.assignee_id, "due_on": task.due_on}
    form = TaskForm(request.POST or None, initial=initial, case=case)
    return form_page(
        request,
        form=form,
        save=lambda data: task_update(actor=request.user, task=task, **data),
        success_url=lambda task: case_url(case),
        context={
            "title": _("Edit a task of case %(reference)s") % {"reference": case.reference},
            "cancel_url": case_url(case),
        },
    )


@login_required
@require_POST
def task_complete_view(request: HttpRequest, case_id: str, task_id: str) -> HttpResponse:
    """Mark a task as done: htmx gets the task's actions back, a plain POST a redirect."""
    case = found_or_404(case_get, user=request.user, case_id=case_id)
    task = found_or_404(task_of_case, user=request.user, case=case, task_id=task_id)
    require_or_403(request.user, "cases.change_task", case)
    error = ""
    try:
        task_complete(actor=request.user, task=task)
    except ValidationError as refused:
        error = _first_error(refused)
    if getattr(request, "htmx", False):
        context = {"task": task, "case_id": case.pk, "error": error, "can_change": True, "done_now": not error}
        return render(request, "cases/work/task_actions.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Task completed."))
    return redirect(back_url(request, case))


@login_required
@require_http_methods(["GET", "POST"])
def deadline_add_view(request: HttpRequest, case_id: str) -> HttpResponse:
    """Enter a deadline by hand."""
    case = found_or_404(case_get, user=request.user, case_id=case_id)
    require_or_403(request.user, "cases.change_deadline", case)
    form = DeadlineForm(request.POST or None)
    return form_page(
        request,
        form=form,
        save=lambda data: deadline_add(actor=request.user, case=case, **data),
        success_url=lambda deadline: case_url(case),
        context={
            "title": _("Add a deadline to case %(reference)s") % {"reference": case.reference},
            "cancel_url": case_url(case),
        },
    )


@login_required
@require_POST
def deadline_status_view(request: HttpRequest, case_id: str, deadline_id: str) -> HttpResponse:
    """Record that a deadline was met, missed or cancelled, or open it again."""
    case = found_or_404(case_get, user=request.user, case_id=case_id)
    deadline = found_or_404(deadline_of_case, user=request.user, case=case, deadline_id=deadline_id)
    require_or_403(request.user, "cases.change_deadline", case)
    form = DeadlineStatusForm(request.POST)
    error = ""
    if not form.is_valid():
        error = _("Choose met, missed, cancelled or open.")
    else:
        try:
            deadline_set_status(actor=request.user, deadline=deadline, status=form.cleaned_data["status"])
        except ValidationError as refused:
            error = _first_error(refused)
    if getattr(request, "htmx", False):
        context = {
            "deadline": deadline,
            "case_id": case.pk,
            "error": error,
            "can_change": True,
            "done_now": not error,
            "status_label": deadline.get_status_display(),
        }
        return render(request, "cases/work/deadline_actions.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Deadline marked as %(status)s.") % {"status": deadline.get_status_display()})
    return redirect(back_url(request, case))


urlpatterns = [
    path("<uuid:case_id>/tasks/new/", task_add_view, name="task_add"),
    path("<uuid:case_id>/tasks/<uuid:task_id>/edit/", task_edit_view, name="task_edit"),
    path("<uuid:case_id>/tasks/<uuid:task_id>/complete/", task_complete_view, name="task_complete"),
    path("<uuid:case_id>/deadlines/new/", deadline_add_view, name="deadline_add"),
    path("<uuid:case_id>/deadlines/<uuid:deadline_id>/status/", deadline_status_view, name="deadline_status"),
]
