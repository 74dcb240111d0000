"""Staff writes on a submission: reply, discard (erasing what the person sent), mark as converted into a case."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from asylon.accounts.permissions import require
from asylon.audit import services as audit
from asylon.cases.models import Case
from asylon.intake.files import blobs_delete_on_commit
from asylon.intake.models import IntakeFile, IntakeMessage, IntakeSubmission, MessageDirection, SubmissionStatus
from asylon.intake.services.submissions import TEXT_MAX, coarsen, message_append

CHANGE = "intake.change_intakesubmission"
REASON_MAX = 2000


def _locked(submission: IntakeSubmission) -> IntakeSubmission:
    return IntakeSubmission.objects.select_for_update().get(pk=submission.pk)


def _required_text(value: Any, field: str, limit: int, missing: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError({field: missing})
    if len(value) > limit:
        raise ValidationError(
            {
                field: _("Keep this to at most %(limit)s characters (it has %(count)s).")
                % {"limit": limit, "count": len(value)}
            }
        )
    return value


@transaction.atomic
def reply_send(*, actor: Any, submission: IntakeSubmission, body: str) -> IntakeMessage:
    """Reply to the person; they read it on the status page with their codename."""
    require(actor, CHANGE, submission)
    body = _required_text(body, "body", TEXT_MAX, _("Write the reply."))
    locked = _locked(submission)
    if locked.status == SubmissionStatus.DISCARDED:
        raise ValidationError(_("This submission was discarded; it cannot be answered."), code="discarded")
    message = message_append(submission=locked, direction=MessageDirection.FROM_STAFF, body=body, author=actor)
    locked.save(update_fields=["message_count", "updated_at"])
    coarsen(IntakeSubmission, [locked.pk], created=False)
    audit.record(actor=actor, action="intake.reply", target=locked, details={"message": str(message.pk)})
    submission.message_count = locked.message_count
    return message


@transaction.atomic
def submission_discard(*, actor: Any, submission: IntakeSubmission, reason: str) -> None:
    """Discard a submission: what the person sent (payload, messages, files) is erased, the reason kept encrypted."""
    require(actor, CHANGE, submission)
    reason = _required_text(reason, "reason", REASON_MAX, _("Say why the submission is discarded."))
    locked = _locked(submission)
    if locked.status != SubmissionStatus.UNTRIAGED:
        raise ValidationError(_("Only an untriaged submission can be discarded."), code="triaged")
    files = list(IntakeFile.objects.filter(submission=locked).values_list("pk", "blob_name"))
    messages = IntakeMessage.objects.filter(submission=locked).count()
    IntakeFile.objects.filter(submission=locked).delete()
    IntakeMessage.objects.filter(submission=locked).delete()
    blobs_delete_on_commit(blob_name for _pk, blob_name in files)
    locked.payload = None
    locked.verifier = ""  # the codename opens nothing any more, and leaves nothing to guess against
    locked.deadline_on = None
    locked.message_count = 0
    locked.status = SubmissionStatus.DISCARDED
    locked.discard_reason = reason
    locked.triaged_at = timezone.now()
    locked.triaged_by = actor
    locked.save()
    coarsen(IntakeSubmission, [locked.pk], created=False)
    audit.record(
        actor=actor,
        action="intake.discard",
        target=locked,
        changed_fields=["status", "payload", "discard_reason"],
        details={"messages": messages, "files": len(files)},
    )
    submission.refresh_from_db()


@transaction.atomic
def mark_converted(*, actor: Any, submission: IntakeSubmission, case: Case) -> None:
    """Record that a submission became a case (called by the conversion service in its transaction)."""
    require(actor, CHANGE, submission)
    require(actor, "cases.change_case", case)
    if case.organisation_id != submission.organisation_id:
        raise ValidationError(_("The case belongs to another organisation."), code="organisation")
    locked = _locked(submission)
    if locked.status != SubmissionStatus.UNTRIAGED:
        raise ValidationError(_("This submission has already been triaged."), code="triaged")
    locked.status = SubmissionStatus.CONVERTED
    locked.converted_case = case
    locked.triaged_at = timezone.now()
    locked.triaged_by = actor
    locked.save(update_fields=["status", "converted_case", "triaged_at", "triaged_by", "updated_at"])
    coarsen(IntakeSubmission, [locked.pk], created=False)
    audit.record(
        actor=actor,
        action="intake.mark_converted",
        target=locked,
        changed_fields=["status", "converted_case"],
        details={"case": str(case.pk)},
    )
    submission.refresh_from_db()
