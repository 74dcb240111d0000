"""The staff triage queue under /intake/: the queue, a submission, reply, discard, convert, and its files."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from asylon.cases.views.links import case_url
from asylon.common.form_pages import form_page, found_or_404, require_or_403
from asylon.evidence.views import stored_file_response
from asylon.intake.forms.triage import ConversionForm, DiscardForm, ReplyForm, conversion_initial, date_or_none
from asylon.intake.models import IntakeSubmission, SubmissionStatus
from asylon.intake.selectors import (
    CHANGE_PERMISSION,
    file_for,
    files_of,
    messages_of,
    queue_for,
    submission_for,
    triage_organisations,
)
from asylon.intake.services.conversion import intake_file_content, submission_convert
from asylon.intake.services.submissions import payload_of
from asylon.intake.services.triage import reply_send, submission_discard
from asylon.intake.situations import situation_choices

CONVERT_TEMPLATE = "intake/triage/convert.html"


def detail_url(submission: IntakeSubmission) -> str:
    return reverse("intake_triage:detail", args=[submission.pk])


def _submission(request: HttpRequest, submission_id: str) -> IntakeSubmission:
    return found_or_404(submission_for, user=request.user, pk=submission_id)  # type: ignore[no-any-return]


def _untriaged_or_back(request: HttpRequest, submission: IntakeSubmission) -> HttpResponse | None:
    """Converting or discarding is for untriaged submissions; others go back to their page, saying why."""
    if submission.status == SubmissionStatus.UNTRIAGED:
        return None
    messages.info(request, _("This submission was already converted or discarded."))
    return redirect(detail_url(submission))


def _situation_labels(payload: dict[str, Any], organisation: Any) -> list[str]:
    labels = dict(situation_choices(translation.get_language() or "en", organisation))
    return [labels.get(str(code), str(code)) for code in payload.get("situations") or []]


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """Untriaged submissions, most urgent first, a page at a time, with the counts."""
    if not triage_organisations(request.user):
        raise PermissionDenied(CHANGE_PERMISSION)
    result = queue_for(user=request.user, page=request.GET.get("page"))
    rows = []
    for submission in result.page.object_list:
        payload = payload_of(submission)
        rows.append(
            {
                "submission": submission,
                "name": payload.get("name") or "",
                "situations": _situation_labels(payload, submission.organisation),
            }
        )
    context = {"page": result.page, "counts": result.counts, "rows": rows}
    return render(request, "intake/triage/queue.html", context)


@login_required
@require_GET
def detail(request: HttpRequest, submission_id: str) -> HttpResponse:
    """One submission: what was sent, the messages since, the files; the actions open to the user."""
    submission = _submission(request, submission_id)
    payload = payload_of(submission) if submission.status != SubmissionStatus.DISCARDED else {}
    may_change = request.user.has_perm(CHANGE_PERMISSION, submission)
    context = {
        "submission": submission,
        "payload": payload,
        "situations": _situation_labels(payload, submission.organisation),
        "deadline_given": date_or_none(payload.get("deadline_on")),
        "thread": messages_of(user=request.user, submission=submission),
        "files": files_of(user=request.user, submission=submission),
        "may_change": may_change,
        "untriaged": submission.status == SubmissionStatus.UNTRIAGED,
        "reply_form": ReplyForm() if may_change and submission.status != SubmissionStatus.DISCARDED else None,
    }
    return render(request, "intake/triage/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def reply(request: HttpRequest, submission_id: str) -> HttpResponse:
    """Send the person a reply they read on the status page."""
    submission = _submission(request, submission_id)
    require_or_403(request.user, CHANGE_PERMISSION, submission)
    form = ReplyForm(request.POST or None)
    return form_page(
        request,
        form=form,
        save=lambda data: reply_send(actor=request.user, submission=submission, body=data["body"]),
        success_url=lambda _message: detail_url(submission),
        context={
            "title": _("Reply to the person"),
            "cancel_url": detail_url(submission),
            "submit_label": _("Send the reply"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def discard(request: HttpRequest, submission_id: str) -> HttpResponse:
    """Discard a submission with a reason: what was sent is erased, the reason kept."""
    submission = _submission(request, submission_id)
    require_or_403(request.user, CHANGE_PERMISSION, submission)
    back = _untriaged_or_back(request, submission)
    if back is not None:
        return back
    form = DiscardForm(request.POST or None)
    return form_page(
        request,
        form=form,
        save=lambda data: submission_discard(actor=request.user, submission=submission, reason=data["reason"]),
        success_url=lambda _result: reverse("intake_triage:queue"),
        context={
            "title": _("Discard this submission"),
            "cancel_url": detail_url(submission),
            "submit_label": _("Discard and erase what was sent"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def convert(request: HttpRequest, submission_id: str) -> HttpResponse:
    """Turn a submission into a person and a case, from a form prefilled with what was sent."""
    submission = _submission(request, submission_id)
    require_or_403(request.user, CHANGE_PERMISSION, submission)
    require_or_403(request.user, "cases.add_case", submission.organisation)
    back = _untriaged_or_back(request, submission)
    if back is not None:
        return back
    payload = payload_of(submission)
    files = files_of(user=request.user, submission=submission)
    form = ConversionForm(
        request.POST or None,
        initial=conversion_initial(submission=submission, payload=payload, files=files),
        submission=submission,
        files=files,
    )
    return form_page(
        request,
        form=form,
        template=CONVERT_TEMPLATE,
        save=lambda data: submission_convert(actor=request.user, submission=submission, **data),
        success_url=case_url,
        context={
            "title": _("Convert into a person and a case"),
            "cancel_url": detail_url(submission),
            "submit_label": _("Create the person and the case"),
            "submission": submission,
            "payload": payload,
        },
    )


@login_required
@require_GET
def file_download(request: HttpRequest, submission_id: str, file_id: str) -> HttpResponse:
    """A file sent with the submission, as an attachment; the read audit records it."""
    intake_file = found_or_404(file_for, user=request.user, submission_id=submission_id, file_id=file_id)
    try:
        data = intake_file_content(actor=request.user, intake_file=intake_file)
    except ValidationError as error:
        context = {"submission": intake_file.submission, "error": error}
        return render(request, "intake/triage/file_damaged.html", context, status=409)
    return stored_file_response(data, intake_file)


urlpatterns = [
    path("", queue, name="queue"),
    path("<uuid:submission_id>/", detail, name="detail"),
    path("<uuid:submission_id>/reply/", reply, name="reply"),
    path("<uuid:submission_id>/discard/", discard, name="discard"),
    path("<uuid:submission_id>/convert/", convert, name="convert"),
    path("<uuid:submission_id>/files/<uuid:file_id>/", file_download, name="file"),
]
