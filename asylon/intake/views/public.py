"""The public help pages under /help/: the form, its answer with the codename, the status page, the altcha challenge.

No login, no session, nothing logged about who asked (asylon/intake/privacy.py). The codename is shown once, in
the response to the form, and travels back only in POST bodies, never in a URL or a cookie. Every answer that
carries it is `no-store`; the one that shows a new codename also sends no referrer at all (pages with a form keep
`same-origin`: with `no-referrer` Chromium posts `Origin: null` and the CSRF check refuses the form).
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from asylon.accounts.models import Organisation
from asylon.common.form_pages import add_service_errors
from asylon.intake import abuse
from asylon.intake.codename import new_codename
from asylon.intake.files import MAX_FILES
from asylon.intake.forms.public import ALTCHA, CodenameForm, HelpForm, MessageForm
from asylon.intake.models import IntakeMessage, IntakeSubmission, MessageDirection
from asylon.intake.selectors import intake_organisation, intake_organisations
from asylon.intake.services.retention import retention_days
from asylon.intake.services.submissions import public_message_add, submission_create, submission_for_codename
from asylon.intake.situations import situation_choices

HELP_TEMPLATE = "intake/public/help.html"
SUBMITTED_TEMPLATE = "intake/public/submitted.html"
STATUS_TEMPLATE = "intake/public/status.html"
THREAD_TEMPLATE = "intake/public/thread.html"
TOO_MANY = 429


def _language() -> str:
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def _max_file_mb() -> float:
    return round(settings.ASYLON_MAX_DOCUMENT_BYTES / 1_048_576, 1)


def _help_form(request: HttpRequest, organisation: Organisation) -> HelpForm:
    choices = situation_choices(_language(), organisation)
    if request.method == "POST":
        return HelpForm(request.POST, request.FILES, situation_choices=choices, max_file_mb=_max_file_mb())
    return HelpForm(situation_choices=choices, max_file_mb=_max_file_mb())


@require_http_methods(["GET", "POST"])
def help_page(request: HttpRequest, organisation: str | None = None) -> HttpResponse:
    """What the organisation does, what happens to the data, and the form (or, for several, the list of them)."""
    served = intake_organisation(organisation)
    if served is None:
        if organisation is not None:
            raise Http404
        choices = intake_organisations()
        return render(
            request, "intake/public/organisations.html", {"organisations": choices}, status=200 if choices else 404
        )
    form = _help_form(request, served)
    context: dict[str, Any] = {
        "organisation": served,
        "form": form,
        "retention_days": retention_days(served),
        "altcha_strings": json.dumps(altcha_strings(), ensure_ascii=False),
    }
    if request.method == "POST" and form.is_valid():
        with_proof = abuse.altcha_verified(request.POST.get(ALTCHA))
        kind = "submit" if with_proof else "submit_nojs"
        if abuse.exceeded(request, kind):
            form.add_error(None, _too_many_submissions(with_proof))
            return render(request, HELP_TEMPLATE, context, status=TOO_MANY)
        if form.is_robot():
            abuse.count(request, kind)
            return _submitted(request, served, new_codename(_language()))  # looks the same; nothing is kept
        data = form.cleaned_data
        try:
            _submission, codename = submission_create(
                organisation=served,
                language=_language(),
                name=data["name"],
                contact=data["contact"],
                situations=data["situations"],
                deadline_on=data["deadline_on"],
                text=data["text"],
                files=data["files"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            abuse.count(request, kind)
            return _submitted(request, served, codename)
    return render(request, HELP_TEMPLATE, context)


def altcha_strings() -> dict[str, str]:
    """The widget's texts in the page's language (it ships no Belarusian)."""
    return {
        "error": _("The check failed. You can still send the form."),
        "expired": _("The check expired. It will run again."),
        "footer": "",
        "label": _("Checking that this is a person, not a program"),
        "verified": _("Checked"),
        "verifying": _("Checking..."),
        "waitAlert": _("Checking... please wait."),
    }


def _too_many_submissions(with_proof: bool) -> str:
    if with_proof:
        return _(
            "Many forms were sent from your network in the last hour, so this one was not accepted. Your text is "
            "still here: wait an hour and send it again, or reach us another way."
        )
    return _(
        "Many forms were sent from your network in the last hour, so this one was not accepted. Your text is still "
        "here: wait an hour and send it again, or turn on JavaScript for this page, which allows more."
    )


def _submitted(request: HttpRequest, organisation: Organisation, codename: str) -> HttpResponse:
    response = render(request, SUBMITTED_TEMPLATE, {"organisation": organisation, "codename": codename})
    response["Referrer-Policy"] = "no-referrer"
    return response


# --- the status page ---------------------------------------------------------------------------


def _replies(submission: IntakeSubmission) -> list[IntakeMessage]:
    """The organisation's replies, for the person who just proved the codename (their own messages are not shown
    again: a codename that falls into other hands then reveals less)."""
    return list(submission.messages.filter(direction=MessageDirection.FROM_STAFF).order_by("seq"))


def _thread(
    request: HttpRequest,
    submission: IntakeSubmission,
    codename: str,
    form: MessageForm | None = None,
    *,
    sent: bool = False,
    status: int = 200,
) -> HttpResponse:
    context = {
        "submission": submission,
        "replies": _replies(submission),
        "sent_count": submission.messages.filter(direction=MessageDirection.FROM_PERSON).count(),
        "form": form or MessageForm(initial={"codename": codename}),
        "max_files": MAX_FILES,
        "sent": sent,
    }
    return render(request, THREAD_TEMPLATE, context, status=status)


def _opened_or_refused(request: HttpRequest, form: CodenameForm) -> tuple[IntakeSubmission, str] | HttpResponse:
    """The submission the codename opens and the codename, or the status page saying why not.

    A wrong codename is counted against the client's limit; past the limit no codename is looked up.
    """
    if not form.is_valid():
        return render(request, STATUS_TEMPLATE, {"form": form})
    if abuse.exceeded(request, "codename_wrong"):
        form.add_error(None, _("Too many wrong codenames were tried from your network. Wait an hour and try again."))
        return render(request, STATUS_TEMPLATE, {"form": form}, status=TOO_MANY)
    codename = form.cleaned_data["codename"]
    submission = submission_for_codename(codename=codename)
    if submission is None:
        abuse.count(request, "codename_wrong")
        form.add_error("codename", _("No submission matches this codename. Check the words and try again."))
        return render(request, STATUS_TEMPLATE, {"form": form})
    return submission, codename


@require_http_methods(["GET", "POST"])
def status(request: HttpRequest) -> HttpResponse:
    """Enter the codename (GET); read the replies and send more (POST)."""
    if request.method == "GET":
        return render(request, STATUS_TEMPLATE, {"form": CodenameForm()})
    if "body" in request.POST or request.FILES:
        return _send_more(request)
    opened = _opened_or_refused(request, CodenameForm(request.POST))
    if isinstance(opened, HttpResponse):
        return opened
    return _thread(request, *opened)


def _send_more(request: HttpRequest) -> HttpResponse:
    form = MessageForm(request.POST, request.FILES)
    opened = _opened_or_refused(request, CodenameForm({"codename": request.POST.get("codename", "")}))
    if isinstance(opened, HttpResponse):
        return opened
    submission, codename = opened
    if not form.is_valid():
        return _thread(request, submission, codename, form)
    if abuse.exceeded(request, "message"):
        form.add_error(
            None, _("Many messages were sent from your network in the last hour. Wait an hour and send it again.")
        )
        return _thread(request, submission, codename, form, status=TOO_MANY)
    if form.is_robot():
        abuse.count(request, "message")
        return _thread(request, submission, codename, sent=True)
    try:
        public_message_add(submission=submission, body=form.cleaned_data["body"], files=form.cleaned_data["files"])
    except ValidationError as error:
        add_service_errors(form, error)
        return _thread(request, submission, codename, form)
    abuse.count(request, "message")
    submission.refresh_from_db()
    return _thread(request, submission, codename, sent=True)


@require_GET
def altcha_challenge(request: HttpRequest) -> JsonResponse:
    """A signed proof-of-work challenge for the form's altcha widget."""
    return JsonResponse(abuse.altcha_challenge())


urlpatterns = [
    path("", help_page, name="help"),
    path("status/", status, name="status"),
    path("altcha/", altcha_challenge, name="altcha"),
    path("<slug:organisation>/", help_page, name="help_org"),
]
