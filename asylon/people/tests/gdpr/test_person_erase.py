import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from asylon.audit.models import AuditEntry
from asylon.audit.verify import verify_chain
from asylon.cases.models import Case, CaseParty, Decision, Event, Note
from asylon.evidence.models import Document
from asylon.intake.models import IntakeSubmission
from asylon.ops.models import ImportedRecord
from asylon.people.lookups import identifier_digest, name_digests
from asylon.people.models import (
    DuplicateCandidate,
    Person,
    PersonLookup,
    PersonTombstone,
    Relationship,
    TombstoneReason,
)
from asylon.people.services_erasure import ErasureReason, erasure_scope, person_erase
from asylon.people.tests.gdpr.conftest import PASSPORT
from tests.factories import case_with_member, staff
from tests.security.raw_sql import rows_mentioning

# The audit log is kept as the record of processing (docs/gdpr.md): its entries carry the ids, nothing else.
KEPT_TABLES = ("audit_auditentry",)


def erase(actor, person, django_capture_on_commit_callbacks, reason=ErasureReason.REQUEST):
    with django_capture_on_commit_callbacks(execute=True):
        return person_erase(actor=actor, person=person, reason=reason)


def test_after_erasure_raw_sql_finds_only_the_tombstone(subject, org_admin, django_capture_on_commit_callbacks):
    """The Done-when check: no row of any table names the person or any record of theirs (except the tombstone
    and the audit log), none of their ciphertexts is left, no blind index matches, and their files are gone."""
    person_id = subject.person.pk
    assert len(subject.ciphertexts) > 20 and len(subject.record_ids) > 20  # the scan has something to look for

    tombstone = erase(org_admin, subject.person, django_capture_on_commit_callbacks)

    found = rows_mentioning(ids=subject.record_ids, blobs=subject.ciphertexts, skip_tables=KEPT_TABLES)
    assert {(table, column) for table, column, _needle in found} == {("people_persontombstone", "former_person_id")}
    erased = [person_id, subject.witness.pk]  # the witness was party to the erased case only
    assert {needle for _table, _column, needle in found} <= {text for pk in erased for text in (str(pk), pk.hex)}
    assert tombstone.former_person_id == person_id and tombstone.reason == TombstoneReason.ERASED
    assert tombstone.successor_id is None


def test_no_blind_index_matches_their_names_or_documents(subject, org_admin, django_capture_on_commit_callbacks):
    digests = [*name_digests("Uladzimir Zhdanovich"), identifier_digest(PASSPORT)]
    assert PersonLookup.objects.filter(digest__in=digests).exists()

    erase(org_admin, subject.person, django_capture_on_commit_callbacks)

    assert not PersonLookup.objects.filter(digest__in=digests).exists()


def test_their_files_are_gone_from_storage(subject, org_admin, private_media, django_capture_on_commit_callbacks):
    paths = [private_media / name for name in [*subject.document_blobs, *subject.intake_blobs]]
    assert paths and all(path.exists() for path in paths)

    erase(org_admin, subject.person, django_capture_on_commit_callbacks)

    assert not [path for path in paths if path.exists()]


def test_files_stay_when_the_erasure_rolls_back(subject, org_admin, private_media, django_capture_on_commit_callbacks):
    """The files go only once the rows' deletion commits: nothing is lost when the transaction fails."""
    paths = [private_media / name for name in subject.document_blobs]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        person_erase(actor=org_admin, person=subject.person, reason=ErasureReason.REQUEST)
    assert callbacks and all(path.exists() for path in paths)


def test_a_case_left_without_a_client_goes_whole_and_a_shared_case_stays(
    subject, org_admin, django_capture_on_commit_callbacks
):
    erase(org_admin, subject.person, django_capture_on_commit_callbacks)

    assert not Case.objects.filter(pk=subject.own_case.pk).exists()
    assert not IntakeSubmission.objects.filter(pk=subject.submission.pk).exists()
    # The witness was party to the erased case only: kept, they could no longer be reached.
    assert not Person.objects.filter(pk=subject.witness.pk).exists()
    assert PersonTombstone.objects.get(former_person_id=subject.witness.pk).reason == TombstoneReason.ERASED
    # The shared case stays with its other client, their event, its note; the person's part in it is gone.
    shared = subject.shared_case
    assert Case.objects.filter(pk=shared.pk).exists()
    assert list(CaseParty.objects.filter(case=shared).values_list("person_id", flat=True)) == [subject.other_client.pk]
    assert list(Event.objects.filter(case=shared).values_list("person_id", flat=True)) == [subject.other_client.pk]
    assert not Decision.objects.filter(case=shared).exists()  # it was recorded on the person's event
    assert not Document.objects.filter(case=shared).exists()
    assert Note.objects.filter(case=shared).count() == 1
    assert not Relationship.objects.filter(person=subject.other_client).exists()
    assert not DuplicateCandidate.objects.exists()
    assert ImportedRecord.objects.count() == 1  # the other client's event only
    # The tombstone of the record merged into the person earlier leads nowhere now.
    merged = PersonTombstone.objects.get(former_person_id=subject.merged_id)
    assert (merged.reason, merged.successor_id) == (TombstoneReason.ERASED, None)


def test_a_witness_is_erased_from_a_case_that_stays_even_without_a_client(
    organisation, caseworker, org_admin, django_capture_on_commit_callbacks
):
    from asylon.people.services import person_create

    case = case_with_member(organisation, caseworker)
    witness = person_create(actor=caseworker, case=case, role="witness", given_name="Seen", family_name="Only")

    erase(org_admin, witness, django_capture_on_commit_callbacks)

    assert Case.objects.filter(pk=case.pk).exists() and not CaseParty.objects.filter(case=case).exists()
    assert not Person.objects.filter(pk=witness.pk).exists()


def test_import_reports_forget_the_duplicates_that_named_them(subject, org_admin, django_capture_on_commit_callbacks):
    from asylon.ops.models import ImportRun

    run = ImportRun.objects.create(
        organisation=subject.person.organisation,
        file_name="people.csv",
        file_format="csv",
        report={
            "rows": 2,
            "duplicates": [
                {"row": 2, "person_id": str(subject.person.pk), "score": 0.9},
                {"row": 3, "person_id": str(subject.other_client.pk), "score": 0.8},
            ],
        },
    )

    erase(org_admin, subject.person, django_capture_on_commit_callbacks)

    run.refresh_from_db()
    assert run.report["duplicates"] == [{"row": 3, "person_id": str(subject.other_client.pk), "score": 0.8}]


def test_their_help_form_submission_goes_even_when_its_case_stays(
    organisation, caseworker, org_admin, private_media, django_capture_on_commit_callbacks
):
    from asylon.intake.models import IntakeFile
    from asylon.intake.services.conversion import submission_convert
    from asylon.intake.tests.triage_helpers import png_upload, submitted
    from asylon.people.services import person_create

    submission = submitted(organisation, files=[png_upload("summons.png")])
    blob = private_media / "intake" / IntakeFile.objects.get(submission=submission).blob_name
    case = submission_convert(actor=caseworker, submission=submission, given_name="Writer", situations=[])
    writer = Person.objects.get(case_parties__case=case)
    person_create(actor=caseworker, case=case, role="co_applicant", given_name="Spouse")
    assert blob.exists()

    erase(org_admin, writer, django_capture_on_commit_callbacks)

    assert Case.objects.filter(pk=case.pk).exists()
    assert not IntakeSubmission.objects.filter(pk=submission.pk).exists() and not blob.exists()


def test_the_erasure_is_audited_with_ids_and_codes_only(subject, org_admin, django_capture_on_commit_callbacks):
    person_id = str(subject.person.pk)

    tombstone = erase(org_admin, subject.person, django_capture_on_commit_callbacks)

    entry = AuditEntry.objects.get(action="person.erase", target_id=person_id)
    assert entry.actor == org_admin and entry.target_type == "people.person"
    assert entry.details == {"reason": "request", "via": "erasure.person", "tombstone_id": str(tombstone.pk)}
    assert AuditEntry.objects.filter(action="case.erase", target_id=str(subject.own_case.pk)).exists()
    summary = AuditEntry.objects.get(action="erasure.person")
    assert sorted(summary.details["persons"]) == sorted([person_id, str(subject.witness.pk)])
    assert summary.details["cases"] == [str(subject.own_case.pk)]
    assert summary.details["counts"]["documents"] == 2
    text = str([entry.details for entry in AuditEntry.objects.all()])
    assert "Uladzimir" not in text and PASSPORT not in text
    assert verify_chain(public_keys=[]).ok


def test_the_scope_is_computed_without_writing(subject):
    scope = erasure_scope(persons=[subject.person])

    assert sorted(scope.person_ids) == sorted([subject.person.pk, subject.witness.pk])
    assert scope.case_ids == [subject.own_case.pk]
    assert Person.objects.filter(pk=subject.person.pk).exists()


@pytest.mark.parametrize("role", ["caseworker", "lawyer", "viewer", "auditor", "analyst"])
def test_only_organisation_admins_erase(subject, role):
    actor = staff(subject.person.organisation, role)
    case_with_member(subject.person.organisation, actor)

    with pytest.raises(PermissionDenied):
        person_erase(actor=actor, person=subject.person, reason=ErasureReason.REQUEST)

    assert Person.objects.filter(pk=subject.person.pk).exists()
    assert not PersonTombstone.objects.filter(former_person_id=subject.person.pk).exists()


def test_another_organisations_admin_is_refused(subject, outsider):
    from asylon.accounts.models import Membership, Role

    Membership.objects.filter(user=outsider).update(role=Role.ORG_ADMIN)

    with pytest.raises(PermissionDenied):
        person_erase(actor=outsider, person=subject.person, reason=ErasureReason.REQUEST)
    assert Person.objects.filter(pk=subject.person.pk).exists()


def test_no_actor_erases_only_for_retention(subject):
    with pytest.raises(PermissionDenied):
        person_erase(actor=None, person=subject.person, reason=ErasureReason.REQUEST)
    assert Person.objects.filter(pk=subject.person.pk).exists()


@pytest.mark.parametrize("reason", ["", "because", None])
def test_an_unknown_reason_is_refused_and_nothing_changes(subject, org_admin, reason):
    entries = AuditEntry.objects.count()

    with pytest.raises(ValidationError) as refused:
        person_erase(actor=org_admin, person=subject.person, reason=reason)

    assert "reason" in refused.value.message_dict
    assert Person.objects.filter(pk=subject.person.pk).exists()
    assert AuditEntry.objects.count() == entries


def test_a_person_erased_already_is_refused(subject, org_admin, django_capture_on_commit_callbacks):
    person = subject.person
    erase(org_admin, person, django_capture_on_commit_callbacks)

    with pytest.raises(ValidationError) as refused:
        person_erase(actor=org_admin, person=person, reason=ErasureReason.REQUEST)
    assert "person" in refused.value.message_dict
