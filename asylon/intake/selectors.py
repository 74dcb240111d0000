"""Reads of intake submissions: which organisation /help/ serves, and the staff triage queue and its records.

Submissions are read by the staff of their organisation who may triage (org admins, caseworkers, lawyers:
`intake.view_intakesubmission`), never by analysts, viewers or auditors, and never across organisations.
Every selector that returns a submission, its messages or its files notes them for the read audit.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Case as Choose
from django.db.models import Count, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from asylon.accounts.models import Organisation
from asylon.accounts.selectors import organisations_for
from asylon.audit import reads
from asylon.intake.models import (
    IntakeFile,
    IntakeMessage,
    IntakeSubmission,
    SubmissionStatus,
    Urgency,
)

VIEW_PERMISSION = "intake.view_intakesubmission"
CHANGE_PERMISSION = "intake.change_intakesubmission"
QUEUE_PAGE_SIZE = 25
# A deadline this close (in days, from today) puts a submission among the urgent ones, whatever it was at submission.
SOON_DAYS = 14


# --- the organisation /help/ serves -----------------------------------------------------------


def intake_organisations() -> list[Organisation]:
    """Every organisation of the instance, by name (the list /help/ shows when several share it)."""
    return list(Organisation.objects.order_by("name"))


def intake_organisation(slug: str | None) -> Organisation | None:
    """The organisation a /help/ form serves: the one named by `slug`, else the configured one, else the only one."""
    if slug:
        return Organisation.objects.filter(slug=slug).first()
    configured = getattr(settings, "ASYLON_INTAKE_ORGANISATION", "")
    if configured:
        return Organisation.objects.filter(slug=configured).first()
    only = list(Organisation.objects.all()[:2])
    return only[0] if len(only) == 1 else None


# --- the staff side ---------------------------------------------------------------------------


def triage_organisations(user: Any) -> list[Organisation]:
    """The organisations whose submissions the user may read."""
    return organisations_for(user, VIEW_PERMISSION)


def submissions_visible_to(user: Any) -> QuerySet[IntakeSubmission]:
    """Submissions of the organisations in which the user may triage (none for anyone else)."""
    organisations = triage_organisations(user)
    if not organisations:
        return IntakeSubmission.objects.none()
    return IntakeSubmission.objects.filter(organisation__in=organisations)


def effective_urgency(today: datetime.date | None = None) -> Choose:
    """Urgency as of today: detention first, then a deadline within SOON_DAYS, then a later deadline, then none.

    Stored urgency was computed at submission; a deadline that was weeks away then may be days away now.
    """
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=SOON_DAYS)
    return Choose(
        When(urgency=Urgency.DETENTION, then=Value(int(Urgency.DETENTION))),
        When(deadline_on__lte=soon, then=Value(int(Urgency.DEADLINE_SOON))),
        When(deadline_on__isnull=False, then=Value(int(Urgency.DEADLINE))),
        default=Value(int(Urgency.NONE)),
        output_field=IntegerField(),
    )


def untriaged_ordered(user: Any, today: datetime.date | None = None) -> QuerySet[IntakeSubmission]:
    """The user's untriaged submissions, most urgent first, then by deadline, then the oldest first."""
    return (
        submissions_visible_to(user)
        .filter(status=SubmissionStatus.UNTRIAGED)
        .annotate(current_urgency=effective_urgency(today))
        .order_by("current_urgency", F("deadline_on").asc(nulls_last=True), "created_at", "pk")
    )


@dataclass(frozen=True)
class QueueCounts:
    """How many submissions wait, and how many of them are urgent; how many were converted or discarded."""

    untriaged: int
    detention: int
    deadline_soon: int
    converted: int
    discarded: int


@dataclass(frozen=True)
class QueuePage:
    page: Page
    counts: QueueCounts


def queue_counts(user: Any, today: datetime.date | None = None) -> QueueCounts:
    """Counts for the queue's header (one query; counts name no one)."""
    totals = (
        submissions_visible_to(user)
        .annotate(current_urgency=effective_urgency(today))
        .aggregate(
            untriaged=Count("pk", filter=Q(status=SubmissionStatus.UNTRIAGED)),
            detention=Count("pk", filter=Q(status=SubmissionStatus.UNTRIAGED, current_urgency=int(Urgency.DETENTION))),
            deadline_soon=Count(
                "pk", filter=Q(status=SubmissionStatus.UNTRIAGED, current_urgency=int(Urgency.DEADLINE_SOON))
            ),
            converted=Count("pk", filter=Q(status=SubmissionStatus.CONVERTED)),
            discarded=Count("pk", filter=Q(status=SubmissionStatus.DISCARDED)),
        )
    )
    return QueueCounts(**{name: int(value or 0) for name, value in totals.items()})


def untriaged_count(user: Any) -> int:
    """How many submissions wait for the user's triage (the navigation's badge)."""
    return submissions_visible_to(user).filter(status=SubmissionStatus.UNTRIAGED).count()


def queue_for(*, user: Any, page: Any, today: datetime.date | None = None) -> QueuePage:
    """One page of the user's untriaged submissions in queue order, with the counts; the page is read-audited."""
    paginator = Paginator(untriaged_ordered(user, today), QUEUE_PAGE_SIZE)
    shown_page = paginator.get_page(page)
    shown_page.object_list = reads.shown(list(shown_page.object_list))
    return QueuePage(page=shown_page, counts=queue_counts(user, today))


def submission_for(*, user: Any, pk: Any) -> IntakeSubmission:
    """One submission the user may read (IntakeSubmission.DoesNotExist otherwise); noted as read."""
    submission = submissions_visible_to(user).select_related("converted_case", "triaged_by").get(pk=pk)
    return reads.shown(submission)


def messages_of(*, user: Any, submission: IntakeSubmission) -> list[IntakeMessage]:
    """The submission's messages in order (the caller got the submission through `submission_for`)."""
    return reads.shown(
        list(
            IntakeMessage.objects.filter(submission__in=submissions_visible_to(user).filter(pk=submission.pk))
            .select_related("author")
            .order_by("seq")
        )
    )


def files_of(*, user: Any, submission: IntakeSubmission) -> list[IntakeFile]:
    """The submission's files, oldest first; their names are noted as read."""
    return reads.shown(
        list(
            IntakeFile.objects.filter(submission__in=submissions_visible_to(user).filter(pk=submission.pk)).order_by(
                "created_at", "pk"
            )
        )
    )


def file_for(*, user: Any, submission_id: Any, file_id: Any) -> IntakeFile:
    """One file of a submission the user may read (IntakeFile.DoesNotExist otherwise)."""
    return reads.shown(
        IntakeFile.objects.select_related("submission").get(
            pk=file_id, submission_id=submission_id, submission__in=submissions_visible_to(user)
        )
    )
