"""A person with records everywhere the live system keeps them, for the erasure tests."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import pytest

from asylon.cases.models import Case, CaseParty, Decision, Event, Note, StatusPeriod
from asylon.common.encrypted import EncryptedField
from asylon.evidence.models import CustodyEntry, Document
from asylon.evidence.services.documents import document_store
from asylon.evidence.tests.samples import png
from asylon.intake.models import IntakeFile, IntakeMessage, IntakeSubmission
from asylon.intake.services.conversion import submission_convert
from asylon.intake.tests.triage_helpers import png_upload, submitted
from asylon.ops.models import ImportedKind, ImportedRecord
from asylon.people.models import (
    ConsentRecord,
    DuplicateCandidate,
    MilitaryServicePeriod,
    Person,
    PersonLookup,
    Relationship,
)
from asylon.people.services import consent_record, military_service_add, person_create, relationship_add
from asylon.people.services_merge import persons_merge
from tests.factories import case_with_member, decision_on, event_on, status_on
from tests.security.raw_sql import stored_bytes

PASSPORT = "MP7654321"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Each test stores its encrypted blobs in its own directory, so files can be looked for."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@dataclass
class Subject:
    """The person to erase, the case that is theirs alone, the shared case that stays, and its other client."""

    person: Person
    own_case: Case
    shared_case: Case
    other_client: Person
    witness: Person  # party to the person's own case only
    merged_id: Any
    submission: IntakeSubmission
    kept_file_name: str = ""  # the help-form file kept as a case document
    document_blobs: list[str] = field(default_factory=list)
    intake_blobs: list[str] = field(default_factory=list)
    record_ids: set[Any] = field(default_factory=set)
    ciphertexts: list[bytes] = field(default_factory=list)


def _sealed_values(objects: list[Any]) -> list[bytes]:
    """The stored ciphertexts of every encrypted field of these rows, as raw SQL reads them."""
    values = []
    for obj in objects:
        for model_field in type(obj)._meta.concrete_fields:
            if isinstance(model_field, EncryptedField):
                try:
                    stored = stored_bytes(type(obj), model_field.name, obj.pk)
                except TypeError:  # NULL: nothing stored
                    continue
                if stored:
                    values.append(stored)
    return values


@pytest.fixture
def subject(organisation, org_admin, caseworker, lawyer) -> Subject:
    """Everything the live system may hold about one person (fictional values)."""
    submission = submitted(organisation, files=[png_upload("summons.png"), png_upload("permit.png")])
    kept_file = submission.files.order_by("created_at", "pk").first()
    own_case = submission_convert(
        actor=caseworker,
        submission=submission,
        given_name="Uladzimir",
        family_name="Zhdanovich",
        contacts=[{"kind": "signal", "value": "+370 600 00077"}],
        summary="Summons and a refused permit.",
        situations=["summons_issued"],
        situations_year=2024,
        decision_type="residence_permit_temporary",
        decision_maker="migration_department",
        served_on=datetime.date(2024, 5, 2),
        decided_on=datetime.date(2024, 4, 28),
        keep_files=[kept_file],
    )
    person = Person.objects.get(case_parties__case=own_case)
    from asylon.people.services import person_update

    person_update(actor=caseworker, person=person, identifiers=[{"kind": "passport", "number": PASSPORT}])
    military_service_add(actor=org_admin, person=person, service_type="conscript", start_year=2010, unit="Unit 0000")
    consent_record(actor=caseworker, person=person, purpose="casework", given_on=datetime.date(2024, 1, 10))
    relationship_add(actor=caseworker, person=person, kind="parent", description="Mother, questioned in 2023")
    status_on(own_case, person, "liberty", "free", start=(2024, 2))
    witness = person_create(actor=caseworker, case=own_case, role="witness", given_name="Witness", family_name="Only")
    # A second record of the same man, merged into him earlier: its tombstone leads to him.
    double = person_create(
        actor=caseworker, case=own_case, role="co_applicant", given_name="Uladzimir", family_name="Zh."
    )
    merged_id = double.pk
    persons_merge(actor=org_admin, survivor=person, merged=double)
    person.refresh_from_db()

    shared_case = case_with_member(organisation, caseworker, lawyer)
    other_client = person_create(actor=caseworker, case=shared_case, given_name="Mikalai", family_name="Other")
    CaseParty.objects.create(organisation=organisation, case=shared_case, person=person, role="witness")
    witnessed = event_on(shared_case, person, "interrogation", 2023, 9, description="He was questioned as a witness.")
    decision_on(shared_case, "visa", event=witnessed)
    others_event = event_on(shared_case, other_client, "arrest", 2023, 10)
    statement = document_store(
        actor=caseworker,
        case=shared_case,
        data=png(),
        filename="statement.png",
        content_type="image/png",
        person=person,
    )
    relationship_add(
        actor=caseworker, person=other_client, kind="sibling", relative=person, description="Brother, a witness"
    )
    Note.objects.create(organisation=organisation, case=shared_case, author=caseworker, body="Shared case note")
    Note.objects.create(
        organisation=organisation, case=own_case, author=lawyer, body="Privileged advice", privileged=True
    )
    ImportedRecord.objects.create(
        organisation=organisation, kind=ImportedKind.PERSON, key=b"k" * 32, object_id=person.pk, content=b"c" * 32
    )
    ImportedRecord.objects.create(
        organisation=organisation, kind=ImportedKind.EVENT, key=b"e" * 32, object_id=witnessed.pk, content=b"c" * 32
    )
    ImportedRecord.objects.create(
        organisation=organisation, kind=ImportedKind.EVENT, key=b"o" * 32, object_id=others_event.pk, content=b"c" * 32
    )
    first, second = sorted([person.pk, other_client.pk])
    DuplicateCandidate.objects.create(organisation=organisation, person_id=first, other_id=second, score=0.9)

    documents = [*Document.objects.filter(case=own_case), statement]
    subject = Subject(
        person=person,
        own_case=own_case,
        shared_case=shared_case,
        other_client=other_client,
        witness=witness,
        merged_id=merged_id,
        submission=submission,
        kept_file_name=kept_file.filename,
        document_blobs=[f"documents/{document.blob_name}" for document in documents],
        intake_blobs=[f"intake/{name}" for name in IntakeFile.objects.values_list("blob_name", flat=True)],
    )
    theirs: list[Any] = [
        person,
        own_case,
        witness,
        submission,
        *documents,
        *MilitaryServicePeriod.objects.filter(person=person),
        *ConsentRecord.objects.filter(person=person),
        *Relationship.objects.filter(person__in=[person, witness]),
        *Relationship.objects.filter(relative=person),
        *CaseParty.objects.filter(person=person),
        *Event.objects.filter(person=person),
        *Event.objects.filter(case=own_case),
        *Decision.objects.filter(case=own_case),
        *Decision.objects.filter(event=witnessed),
        *StatusPeriod.objects.filter(person=person),
        *IntakeFile.objects.filter(submission=submission),
        *IntakeMessage.objects.filter(submission=submission),
        *CustodyEntry.objects.filter(document__in=documents),
    ]
    for related in ("deadlines", "tasks", "notes", "memberships", "parties"):
        theirs.extend(getattr(own_case, related).all())
    subject.record_ids = {obj.pk for obj in theirs}
    subject.ciphertexts = _sealed_values(theirs)
    assert PersonLookup.objects.filter(person=person).exists()
    return subject
