"""Public writes: a submission from the help form, more messages from its status page, and its payload.

These run for someone who is not signed in: the audit entries name no actor, no address and only ids
(docs/intake.md). The payload is encrypted before the row is written; the codename is returned once and only
its keyed digest and Argon2id verifier are kept. Times are kept to the hour (`coarsen`), so a row cannot be
matched against a network log by its second.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from asylon.accounts.models import Organisation
from asylon.audit import services as audit
from asylon.intake import codename as codenames
from asylon.intake.files import blobs_removed_on_failure, checked_files, intake_files_store
from asylon.intake.models import (
    IntakeFile,
    IntakeMessage,
    IntakeSubmission,
    MessageDirection,
    SubmissionStatus,
    Urgency,
)
from asylon.intake.situations import DETENTION, SITUATIONS

NAME_MAX = 200
CONTACT_MAX = 500
TEXT_MAX = 20_000
SOON_DAYS = 14
CODENAME_ATTEMPTS = 5
CODENAME_MAX = 1000  # far longer than any codename; a longer text is not normalised or hashed
# Compared against when no submission has the lookup key, so an unknown codename takes as long as a wrong one.
_DUMMY_VERIFIER: list[str] = []


def hour_of(moment: datetime.datetime) -> datetime.datetime:
    """The moment rounded down to its hour."""
    return moment.replace(minute=0, second=0, microsecond=0)


def coarsen(model: type[models.Model], pks: Iterable[Any], *, created: bool = True) -> None:
    """Round the rows' updated_at (and, for rows just created, created_at) down to the current hour.

    A queryset update, so auto_now does not put the exact time back."""
    ids = list(pks)
    if not ids:
        return
    hour = hour_of(timezone.now())
    times = {"created_at": hour, "updated_at": hour} if created else {"updated_at": hour}
    model._default_manager.filter(pk__in=ids).update(**times)


def urgency_of(situations: Sequence[str], deadline_on: datetime.date | None, today: datetime.date) -> int:
    """Detention first, then a deadline within 14 days (or passed), then a later deadline, then none."""
    if DETENTION in situations:
        return Urgency.DETENTION
    if deadline_on is None:
        return Urgency.NONE
    if deadline_on <= today + datetime.timedelta(days=SOON_DAYS):
        return Urgency.DEADLINE_SOON
    return Urgency.DEADLINE


def _text(errors: dict[str, list[str]], field: str, value: Any, limit: int, *, required: bool) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.setdefault(field, []).append(_("Enter text."))
        return ""
    if required and not value.strip():
        errors.setdefault(field, []).append(_("This field is required."))
    if len(value) > limit:
        errors.setdefault(field, []).append(
            _("Keep this to at most %(limit)s characters (it has %(count)s).") % {"limit": limit, "count": len(value)}
        )
    return value


def _situations(errors: dict[str, list[str]], codes: Any) -> list[str]:
    codes = list(codes or [])
    unknown = [code for code in codes if code not in SITUATIONS]
    if unknown:
        errors.setdefault("situations", []).append(_("Choose situations from the list offered."))
        return []
    return [code for code in SITUATIONS if code in codes]


def _deadline(errors: dict[str, list[str]], value: Any) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            errors.setdefault("deadline_on", []).append(_("Enter the date as year-month-day, for example 2026-03-31."))
            return None
    if not isinstance(value, datetime.date):
        errors.setdefault("deadline_on", []).append(_("Enter a valid date."))
        return None
    if not datetime.date(1990, 1, 1) <= value <= datetime.date(2100, 12, 31):
        errors.setdefault("deadline_on", []).append(_("Enter a date between 1990 and 2100."))
        return None
    return value


def _language(errors: dict[str, list[str]], language: Any) -> str:
    codes = {code for code, _label in settings.LANGUAGES}
    if language not in codes:
        errors.setdefault("language", []).append(_("This language is not offered."))
        return settings.LANGUAGE_CODE
    return str(language)


def _new_lookup(language: str) -> tuple[str, str]:
    """A codename whose lookup key no submission holds yet, and that key."""
    for _attempt in range(CODENAME_ATTEMPTS):
        codename = codenames.new_codename(language)
        key = codenames.lookup_key(codename)
        if not IntakeSubmission.objects.filter(lookup_key=key).exists():
            return codename, key
    raise IntegrityError("no unused codename after several draws")  # about 2^-80 per draw: never in practice


@transaction.atomic
def submission_create(
    *,
    organisation: Organisation,
    language: str,
    name: str,
    contact: str,
    situations: Sequence[str],
    deadline_on: datetime.date | str | None,
    text: str,
    files: Sequence[UploadedFile] = (),
) -> tuple[IntakeSubmission, str]:
    """Record what someone sent through the help form, encrypted; return it with its codename (shown once)."""
    errors: dict[str, list[str]] = {}
    language = _language(errors, language)
    name = _text(errors, "name", name, NAME_MAX, required=True)
    contact = _text(errors, "contact", contact, CONTACT_MAX, required=False)
    text = _text(errors, "text", text, TEXT_MAX, required=False)
    chosen = _situations(errors, situations)
    deadline = _deadline(errors, deadline_on)
    if not errors and not text.strip() and not chosen:
        errors["text"] = [_("Tell us about your situation: choose what applies or write a few words.")]
    if errors:
        raise ValidationError(errors)
    checked = checked_files(list(files))
    codename, key = _new_lookup(language)
    payload = {
        "name": name,
        "contact": contact,
        "situations": chosen,
        "deadline_on": deadline.isoformat() if deadline else None,
        "text": text,
        "language": language,
    }
    submission = IntakeSubmission(
        organisation=organisation,
        lookup_key=key,
        verifier=codenames.make_verifier(codename),
        payload=json.dumps(payload, ensure_ascii=True),
        language=language,
        urgency=urgency_of(chosen, deadline, timezone.localdate()),
        deadline_on=deadline,
        status=SubmissionStatus.UNTRIAGED,
    )
    submission.save(force_insert=True)
    with blobs_removed_on_failure() as written:
        stored = intake_files_store(submission=submission, message=None, checked=checked, into=written)
        coarsen(IntakeSubmission, [submission.pk])
        coarsen(IntakeFile, [file.pk for file in stored])
        audit.record(
            actor=None,
            action="intake.submit",
            target=submission,
            details={"files": [str(file.pk) for file in stored]},
            remote_address=None,
        )
    submission.refresh_from_db(fields=["created_at", "updated_at"])
    return submission, codename


def _dummy_verifier() -> str:
    if not _DUMMY_VERIFIER:
        _DUMMY_VERIFIER.append(codenames.make_verifier(codenames.new_codename(codenames.DEFAULT_LANGUAGE)))
    return _DUMMY_VERIFIER[0]


def submission_for_codename(*, codename: str) -> IntakeSubmission | None:
    """The submission a codename opens (lookup key, then the Argon2id verifier); None if unknown or discarded."""
    if not isinstance(codename, str) or len(codename) > CODENAME_MAX or not codenames.normalised(codename):
        return None
    submission = IntakeSubmission.objects.filter(lookup_key=codenames.lookup_key(codename)).first()
    if submission is None or not submission.verifier:
        codenames.verify(_dummy_verifier(), codename)
        return None
    if not codenames.verify(submission.verifier, codename) or submission.status == SubmissionStatus.DISCARDED:
        return None
    return submission


@transaction.atomic
def public_message_add(*, submission: IntakeSubmission, body: str, files: Sequence[UploadedFile] = ()) -> IntakeMessage:
    """Add a message (and files) from the person, who opened the submission with its codename."""
    locked = IntakeSubmission.objects.select_for_update().get(pk=submission.pk)
    if locked.status == SubmissionStatus.DISCARDED:
        raise ValidationError(_("This submission is closed; send a new one from the help form."), code="closed")
    errors: dict[str, list[str]] = {}
    body = _text(errors, "body", body, TEXT_MAX, required=not files)
    if errors:
        raise ValidationError(errors)
    checked = checked_files(list(files))
    message = message_append(submission=locked, direction=MessageDirection.FROM_PERSON, body=body, author=None)
    with blobs_removed_on_failure() as written:
        stored = intake_files_store(submission=locked, message=message, checked=checked, into=written)
        coarsen(IntakeFile, [file.pk for file in stored])
        locked.last_public_message_on = timezone.localdate()
        locked.save(update_fields=["message_count", "last_public_message_on", "updated_at"])
        coarsen(IntakeSubmission, [locked.pk], created=False)
        audit.record(
            actor=None,
            action="intake.message",
            target=locked,
            details={"message": str(message.pk), "files": [str(file.pk) for file in stored]},
            remote_address=None,
        )
    return message


def message_append(*, submission: IntakeSubmission, direction: str, body: str, author: Any) -> IntakeMessage:
    """Append a message as the next in the submission's sequence (the caller holds the submission's row lock and
    saves its message_count)."""
    last = submission.messages.aggregate(models.Max("seq"))["seq__max"] or 0
    message = IntakeMessage(
        organisation_id=submission.organisation_id,
        submission=submission,
        direction=direction,
        body=body,
        author=author,
        seq=last + 1,
    )
    message.save(force_insert=True)
    coarsen(IntakeMessage, [message.pk])
    submission.message_count = submission.messages.count()
    return message


def payload_of(submission: IntakeSubmission) -> dict[str, Any]:
    """The form as submitted (name, contact, situations, deadline_on, text, language); empty once discarded."""
    if not submission.payload:
        return {}
    decoded: dict[str, Any] = json.loads(submission.payload)
    return decoded
