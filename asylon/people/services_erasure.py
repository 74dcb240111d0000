"""Erasure of a person (GDPR Art. 17): every record of theirs leaves the live system in one transaction,
a tombstone without personal data keeps their former id, and the audit log records what was erased, by id.

What goes (docs/gdpr.md, "Erasure"): the person row with its blind indexes, service periods, consents,
relationships in both directions, case parties, events, status periods and documents (their encrypted files
are deleted from storage once the transaction commits), the decisions tied to their events, duplicate
candidates naming them, the identities of imported rows that became their records, and the help-form
submissions converted into their cases. A case left without a client (no other client or co-applicant)
is erased whole (`asylon.cases.services.erasure.case_erase`), and so is a person who was party only to
erased cases: persons are reached only through cases, so such a record would be kept with no purpose.
The audit log is kept (the legally required record of processing); its entries carry ids only, and the
person's id resolves to the tombstone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from auditlog.context import disable_auditlog
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from asylon.accounts.permissions import require
from asylon.audit import services as audit
from asylon.audit.models import AuditEntry
from asylon.cases.models import Case, CaseParty, Decision, Event, PartyRole
from asylon.evidence.models import Document
from asylon.evidence.storage import blob_path
from asylon.intake.files import blobs_delete_on_commit
from asylon.intake.models import IntakeFile, IntakeSubmission
from asylon.ops.models import ImportedKind, ImportedRecord, ImportRun
from asylon.people.models import DuplicateCandidate, Person, PersonTombstone, Relationship, TombstoneReason

# A case keeps going while someone it is for remains: a client or a co-applicant.
PRINCIPAL_ROLES = (PartyRole.CLIENT, PartyRole.CO_APPLICANT)


class ErasureReason(models.TextChoices):
    """Why records are erased (a code in the audit entry; never free text, which could name someone)."""

    REQUEST = "request", gettext_lazy("the person asked for erasure (GDPR Art. 17)")
    CONSENT_WITHDRAWN = "consent_withdrawn", gettext_lazy("consent was withdrawn and no other legal ground remains")
    NO_LONGER_NEEDED = "no_longer_needed", gettext_lazy("the data is no longer needed for its purpose")
    UNLAWFUL = "unlawful", gettext_lazy("the data was processed unlawfully")
    RETENTION = "retention", gettext_lazy("the retention period ended")


@dataclass
class ErasureScope:
    """What an erasure takes with it: the persons and the whole cases (computed, nothing written)."""

    organisation_id: Any
    person_ids: list[Any] = field(default_factory=list)
    case_ids: list[Any] = field(default_factory=list)

    def persons(self) -> models.QuerySet[Person]:
        return Person.objects.filter(pk__in=self.person_ids)

    def cases(self) -> models.QuerySet[Case]:
        return Case.objects.filter(pk__in=self.case_ids).order_by("reference")


@dataclass
class Erasure:
    """The outcome of an erasure: tombstones of the persons, ids of the cases, rows removed per kind."""

    tombstones: list[PersonTombstone]
    case_ids: list[str]
    counts: dict[str, int]
    blob_names: list[str] = field(default_factory=list)


def erasure_scope(*, persons: Iterable[Person] = (), cases: Iterable[Case] = ()) -> ErasureScope:
    """The persons and cases an erasure of these persons and cases reaches: a case left without a client
    (they were its last client or co-applicant) goes whole, and so does a person party to erased cases only
    (until nothing more is added). A case they were only a witness or relative in stays."""
    person_ids = {person.pk for person in persons}
    case_ids = {case.pk for case in cases}
    organisations = {p.organisation_id for p in persons} | {c.organisation_id for c in cases}
    if len(organisations) != 1:
        raise ValueError("an erasure covers records of exactly one organisation")
    while True:
        # Only a case they were a client or co-applicant of can be left without one.
        touched = set(
            CaseParty.objects.filter(person_id__in=person_ids, role__in=PRINCIPAL_ROLES).values_list(
                "case_id", flat=True
            )
        )
        kept_by_others = set(
            CaseParty.objects.filter(case_id__in=touched, role__in=PRINCIPAL_ROLES)
            .exclude(person_id__in=person_ids)
            .values_list("case_id", flat=True)
        )
        new_cases = (touched - kept_by_others) - case_ids
        parties = CaseParty.objects.filter(case_id__in=case_ids | new_cases).exclude(person_id__in=person_ids)
        elsewhere = set(
            CaseParty.objects.filter(person_id__in=parties.values("person_id"))
            .exclude(case_id__in=case_ids | new_cases)
            .values_list("person_id", flat=True)
        )
        new_persons = set(parties.values_list("person_id", flat=True)) - elsewhere
        if not new_cases and not new_persons:
            break
        case_ids |= new_cases
        person_ids |= new_persons
    return ErasureScope(organisation_id=organisations.pop(), person_ids=sorted(person_ids), case_ids=sorted(case_ids))


def _authorise(actor: Any, scope: ErasureScope, reason: str) -> None:
    """Organisation admins erase; the retention schedule (no actor) erases only for retention."""
    if actor is None:
        if reason != ErasureReason.RETENTION:
            raise PermissionDenied("people.erase_person")
    else:
        for person in scope.persons():
            require(actor, "people.erase_person", person)
        for case in scope.cases():
            require(actor, "cases.erase_case", case)
    if reason not in ErasureReason.values:
        raise ValidationError({"reason": _("Choose why the records are erased.")})


def _converted_submissions(scope: ErasureScope) -> list[Any]:
    """Help-form submissions converted into the erased cases, or into the erased persons (the conversion's
    audit entry names the person it created, so a submission into a case that stays is found too)."""
    person_ids = [str(pk) for pk in scope.person_ids]
    converted_into_persons = AuditEntry.objects.filter(
        organisation_id=scope.organisation_id, action="intake.convert", details__person_id__in=person_ids
    ).values_list("target_id", flat=True)
    return list(
        IntakeSubmission.objects.filter(
            Q(converted_case_id__in=scope.case_ids) | Q(pk__in=list(converted_into_persons)),
            organisation_id=scope.organisation_id,
        ).values_list("pk", flat=True)
    )


def _delete(queryset: models.QuerySet[Any]) -> int:
    """Delete and return the number of rows of the queryset's own model (cascades counted apart)."""
    _total, per_model = queryset.delete()
    return per_model.get(queryset.model._meta.label, 0)


def _remove(scope: ErasureScope) -> Erasure:
    """Delete every row of the scope; the files go after commit. Returns what was removed."""
    persons, cases = scope.person_ids, scope.case_ids
    events = Event.objects.filter(Q(case_id__in=cases) | Q(person_id__in=persons))
    event_ids = list(events.values_list("pk", flat=True))
    documents = Document.objects.filter(Q(case_id__in=cases) | Q(person_id__in=persons) | Q(event_id__in=event_ids))
    document_blobs = [blob_path(document) for document in documents.only("pk", "blob_name")]
    submissions = _converted_submissions(scope)
    intake_blobs = list(IntakeFile.objects.filter(submission_id__in=submissions).values_list("blob_name", flat=True))
    counts = {
        "documents": _delete(documents),
        # A decision recorded on one of their events is about them; one of the case itself stays.
        "decisions": _delete(Decision.objects.filter(event_id__in=event_ids)),
        "events": _delete(Event.objects.filter(pk__in=event_ids)),
        "relationships_naming_them": _delete(Relationship.objects.filter(relative_id__in=persons)),
        "duplicate_candidates": _delete(
            DuplicateCandidate.objects.filter(Q(person_id__in=persons) | Q(other_id__in=persons))
        ),
        "imported_identities": _delete(
            ImportedRecord.objects.filter(
                Q(kind=ImportedKind.PERSON, object_id__in=persons)
                | Q(kind=ImportedKind.EVENT, object_id__in=event_ids),
                organisation_id=scope.organisation_id,
            )
        ),
        "intake_submissions": _delete(IntakeSubmission.objects.filter(pk__in=submissions)),
        "cases": _delete(Case.objects.filter(pk__in=cases)),
        "persons": _delete(Person.objects.filter(pk__in=persons)),
    }
    counts["import_reports_scrubbed"] = _scrub_import_reports(scope)
    # Records merged into an erased person earlier: their tombstones no longer lead anywhere.
    PersonTombstone.objects.filter(successor_id__in=persons).update(reason=TombstoneReason.ERASED, successor_id=None)
    tombstones = [
        PersonTombstone.objects.create(
            organisation_id=scope.organisation_id, former_person_id=person_id, reason=TombstoneReason.ERASED
        )
        for person_id in persons
    ]
    _files_delete_on_commit(document_blobs)
    blobs_delete_on_commit(intake_blobs)
    return Erasure(
        tombstones=tombstones,
        case_ids=[str(pk) for pk in cases],
        counts=counts,
        blob_names=document_blobs,
    )


def _scrub_import_reports(scope: ErasureScope) -> int:
    """Import reports list the existing persons a row resembled (by id): drop the erased ones."""
    erased = {str(pk) for pk in scope.person_ids}
    scrubbed = 0
    for run in ImportRun.objects.filter(organisation_id=scope.organisation_id).only("pk", "report"):
        report = run.report
        if not isinstance(report, dict) or not report.get("duplicates"):
            continue
        kept = [item for item in report["duplicates"] if str(item.get("person_id")) not in erased]
        if len(kept) != len(report["duplicates"]):
            run.report = {**report, "duplicates": kept}
            run.save(update_fields=["report"])
            scrubbed += 1
    return scrubbed


def _files_delete_on_commit(paths: list[str]) -> None:
    """Remove the documents' encrypted files once the deletion of their rows has committed."""
    from django.core.files.storage import default_storage

    def remove() -> None:
        for path in paths:
            if default_storage.exists(path):
                default_storage.delete(path)

    if paths:
        transaction.on_commit(remove)


def scope_erase(*, actor: Any, scope: ErasureScope, reason: str, action: str) -> Erasure:
    """Erase everything in the scope (the caller holds the transaction); one audit entry per erased case
    and person, ids and codes only. `actor` None is the retention schedule."""
    _authorise(actor, scope, reason)
    # Lock the rows so a concurrent write cannot add a record to someone being erased.
    list(Person.objects.select_for_update().filter(pk__in=scope.person_ids).values_list("pk", flat=True))
    list(Case.objects.select_for_update().filter(pk__in=scope.case_ids).values_list("pk", flat=True))
    with disable_auditlog():  # the entries below describe the whole erasure; row-level capture would repeat it
        erasure = _remove(scope)
    organisation = scope.organisation_id
    for case_id in erasure.case_ids:
        audit.record(
            actor=actor,
            action="case.erase",
            # The row is gone; an unsaved instance gives the entry its type and former id.
            target=Case(pk=case_id, organisation_id=organisation),
            details={"reason": reason, "via": action},
        )
    for tombstone in erasure.tombstones:
        audit.record(
            actor=actor,
            action="person.erase",
            target=Person(pk=tombstone.former_person_id, organisation_id=organisation),
            details={"reason": reason, "via": action, "tombstone_id": str(tombstone.pk)},
        )
    audit.record(
        actor=actor,
        action=action,
        organisation=organisation,
        details={
            "reason": reason,
            "persons": [str(t.former_person_id) for t in erasure.tombstones],
            "cases": erasure.case_ids,
            "counts": erasure.counts,
        },
    )
    return erasure


@transaction.atomic
def person_erase(*, actor: Any, person: Person, reason: str) -> PersonTombstone:
    """Erase a person everywhere in the live system and leave a tombstone without personal data; cases
    left without a client go too (docs/gdpr.md, "Erasure")."""
    if not Person.objects.filter(pk=person.pk).exists():
        raise ValidationError({"person": _("This person was already erased.")})
    scope = erasure_scope(persons=[person])
    erasure = scope_erase(actor=actor, scope=scope, reason=reason, action="erasure.person")
    return next(t for t in erasure.tombstones if t.former_person_id == person.pk)
