"""Turning an intake submission into a person and a case, through the services that write those records.

One transaction: the case (its opener becomes lead and member, as `case_open` does), the person as its
client, one event per situation, the decision (whose deadlines the legal rules compute), a deadline the
person gave, the files as case documents, and the submission marked converted. Any refusal rolls back
all of it, and files already written to storage are removed again.

Reading a submission's file for a staff member (`intake_file_content`) lives here too: it is the other
way a submission's content leaves the intake, and it is audited like a document download.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from asylon.accounts.permissions import require
from asylon.audit import services as audit
from asylon.cases.models import Case, PartyRole
from asylon.cases.services.case import case_open
from asylon.cases.services.decisions import decision_record
from asylon.cases.services.events import event_record
from asylon.cases.services.work import deadline_add
from asylon.common.models import DatePrecision
from asylon.evidence.models import Document
from asylon.evidence.services.documents import document_store
from asylon.evidence.storage import blob_delete
from asylon.intake.files import intake_file_read
from asylon.intake.models import IntakeFile, IntakeSubmission, SubmissionStatus
from asylon.intake.services.triage import mark_converted
from asylon.intake.situations import SITUATIONS
from asylon.people.services import person_create

CHANGE_PERMISSION = "intake.change_intakesubmission"
NAME_FIELD_MAX = 200

# Endings of East Slavic and Lithuanian-style patronymics, in Cyrillic and in common Latin spellings.
PATRONYMIC_ENDING = re.compile(
    r"(?:овіч|евіч|авіч|ович|евич|ьевич|івна|ївна|овна|евна|аўна|еўна|ічна|інічна|ична|инична|"
    r"ovich|evich|avich|ovych|evych|ovna|evna|ivna|auna|euna|ichna)$",
    re.IGNORECASE,
)


def split_name(name: str) -> dict[str, str]:
    """Guess given name, patronymic and family name from a name typed in one box (staff check it before saving).

    One word is a given name (often a pseudonym). With a patronymic (-ович, -івна, -ovich ...) in the
    middle the order is given, patronymic, family; with it last, family, given, patronymic (the order of
    official East Slavic documents). Otherwise the last word is the family name and the rest the given name.
    """
    words = name.split()
    if not words:
        return {"given_name": "", "patronymic": "", "family_name": ""}
    if len(words) == 1:
        return {"given_name": words[0], "patronymic": "", "family_name": ""}
    if len(words) == 3 and PATRONYMIC_ENDING.search(words[1]):
        return {"given_name": words[0], "patronymic": words[1], "family_name": words[2]}
    if len(words) == 3 and PATRONYMIC_ENDING.search(words[2]):
        return {"given_name": words[1], "patronymic": words[2], "family_name": words[0]}
    return {"given_name": " ".join(words[:-1]), "patronymic": "", "family_name": words[-1]}


EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[\d\s().-]{6,}$")


def contacts_from(contact: str) -> list[dict[str, str]]:
    """The contact method typed in the form as the person's contact list: "kind: value" kept, else the kind guessed."""
    contact = contact.strip()
    if not contact:
        return []
    kind, separator, value = contact.partition(":")
    if separator and kind.strip() and value.strip() and " " not in kind.strip() and not kind.strip().isdigit():
        return [{"kind": kind.strip().lower(), "value": value.strip()}]
    if EMAIL.match(contact):
        return [{"kind": "email", "value": contact}]
    if PHONE.match(contact):
        return [{"kind": "phone", "value": contact}]
    return [{"kind": "other", "value": contact}]


def _files_of(submission: IntakeSubmission, files: list[IntakeFile]) -> list[IntakeFile]:
    if any(file.submission_id != submission.pk for file in files):
        raise ValidationError({"keep_files": _("A file belongs to another submission.")})
    return files


def _check_situations(situations: list[str], year: int | None) -> None:
    unknown = sorted(set(situations) - set(SITUATIONS))
    if unknown:
        raise ValidationError({"situations": _("Choose situations from the list.")})
    if situations and year is None:
        raise ValidationError({"situations_year": _("Give the year of the situations to record them as events.")})


def _check_decision(decision_type: str, decision_maker: str, served_on: Any, decided_on: Any) -> None:
    if not decision_type:
        if served_on or decided_on:
            raise ValidationError({"decision_type": _("Choose the type of the decision the date belongs to.")})
        return
    if not decision_maker:
        raise ValidationError({"decision_maker": _("Choose who took the decision.")})


@transaction.atomic
def submission_convert(
    *,
    actor: Any,
    submission: IntakeSubmission,
    given_name: str,
    family_name: str = "",
    patronymic: str = "",
    contacts: list[dict[str, str]] | None = None,
    summary: str = "",
    risk: str = "medium",
    situations: list[str] | None = None,
    situations_year: int | None = None,
    decision_type: str = "",
    decision_maker: str = "",
    served_on: datetime.date | None = None,
    decided_on: datetime.date | None = None,
    stated_deadline_on: datetime.date | None = None,
    keep_files: list[IntakeFile] | None = None,
) -> Case:
    """Convert an untriaged submission into a person, a case and its records; return the new case."""
    require(actor, CHANGE_PERMISSION, submission)
    submission = IntakeSubmission.objects.select_for_update().get(pk=submission.pk)
    if submission.status != SubmissionStatus.UNTRIAGED:
        raise ValidationError(_("This submission was already converted or discarded."), code="triaged")
    situations = list(dict.fromkeys(situations or []))
    if not (given_name or "").strip() and not (family_name or "").strip():
        raise ValidationError({"given_name": _("Give at least a given name or a family name (a pseudonym will do).")})
    _check_situations(situations, situations_year)
    _check_decision(decision_type, decision_maker, served_on, decided_on)
    chosen_files = _files_of(submission, list(keep_files or []))
    stored: list[Document] = []
    try:
        case = case_open(actor=actor, organisation=submission.organisation, summary=summary, risk=risk)
        person = person_create(
            actor=actor,
            case=case,
            role=PartyRole.CLIENT,
            given_name=given_name.strip(),
            family_name=family_name.strip(),
            patronymic=patronymic.strip(),
            contacts=contacts or [],
            languages=[submission.language] if submission.language else [],
        )
        for code in situations:
            event_record(
                actor=actor,
                case=case,
                event_type=code,
                date_precision=DatePrecision.YEAR,
                year=situations_year,
                person=person,
            )
        if decision_type:
            decision_record(
                actor=actor,
                case=case,
                decision_type=decision_type,
                decision_maker=decision_maker,
                served_on=served_on,
                decided_on=decided_on,
            )
        if stated_deadline_on is not None:
            deadline_add(
                actor=actor,
                case=case,
                kind="other",
                due_on=stated_deadline_on,
                title=_("Deadline the person gave in the help form"),
            )
        for intake_file in chosen_files:
            stored.append(
                document_store(
                    actor=actor,
                    case=case,
                    data=intake_file_read(intake_file),
                    filename=intake_file.filename or "",
                    content_type=intake_file.content_type,
                    description=_("Received through the help form."),
                    person=person,
                )
            )
        mark_converted(actor=actor, submission=submission, case=case)
        audit.record(
            actor=actor,
            action="intake.convert",
            target=submission,
            details={
                "case_id": str(case.pk),
                "person_id": str(person.pk),
                "events": situations,
                "decision": bool(decision_type),
                "stated_deadline": stated_deadline_on is not None,
                "documents": [str(document.pk) for document in stored],
            },
        )
    except Exception:
        for document in stored:  # the rows roll back; the encrypted files they named must go too
            blob_delete(document)
        raise
    return case


@transaction.atomic
def intake_file_content(*, actor: Any, intake_file: IntakeFile) -> bytes:
    """Decrypt a file sent with a submission for a staff member who may triage it; the access is audited."""
    require(actor, "intake.view_intakesubmission", intake_file.submission)
    data = intake_file_read(intake_file)
    audit.record(
        actor=actor,
        action="intake.file_download",
        target=intake_file,
        details={"submission_id": str(intake_file.submission_id), "size": len(data)},
    )
    return data
