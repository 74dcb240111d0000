"""Triage services: reply, discard (erasing what the person sent), mark converted; each authorised and audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from asylon.accounts.models import Role
from asylon.audit.models import AuditEntry
from asylon.intake.models import IntakeFile, IntakeMessage, IntakeSubmission, MessageDirection, SubmissionStatus
from asylon.intake.services.submissions import payload_of, public_message_add, submission_for_codename
from asylon.intake.services.triage import mark_converted, reply_send, submission_discard
from asylon.intake.tests.services.conftest import stored_blobs, submit
from tests.factories import staff


@pytest.fixture
def submitted(organisation, private_media):
    note = SimpleUploadedFile("note.txt", b"first file", content_type="text/plain")
    submission, codename = submit(organisation, files=[note])
    more = SimpleUploadedFile("more.txt", b"second file", content_type="text/plain")
    public_message_add(submission=submission, body="More about the summons", files=[more])
    return submission, codename


@pytest.mark.parametrize("role", [Role.ORG_ADMIN, Role.CASEWORKER, Role.LAWYER])
def test_triage_roles_may_reply(organisation, submitted, role):
    submission, codename = submitted
    actor = staff(organisation, role)
    reply = reply_send(actor=actor, submission=submission, body="We will call you on Monday.")

    assert (reply.direction, reply.author, reply.seq) == (MessageDirection.FROM_STAFF, actor, 2)
    found = submission_for_codename(codename=codename)
    assert [message.body for message in found.messages.all()] == [
        "More about the summons",
        "We will call you on Monday.",
    ]
    entry = AuditEntry.objects.get(action="intake.reply")
    assert entry.actor_id == actor.pk and entry.details == {"message": str(reply.pk)}
    assert entry.target_id == str(submission.pk)


@pytest.mark.parametrize("role", [Role.ANALYST, Role.VIEWER, Role.AUDITOR])
def test_other_roles_may_not_reply_discard_or_convert(organisation, submitted, case, role):
    submission, _codename = submitted
    actor = staff(organisation, role)
    with pytest.raises(PermissionDenied):
        reply_send(actor=actor, submission=submission, body="Hello")
    with pytest.raises(PermissionDenied):
        submission_discard(actor=actor, submission=submission, reason="spam")
    with pytest.raises(PermissionDenied):
        mark_converted(actor=actor, submission=submission, case=case)
    assert IntakeMessage.objects.filter(direction=MessageDirection.FROM_STAFF).count() == 0
    assert IntakeSubmission.objects.get(pk=submission.pk).status == SubmissionStatus.UNTRIAGED


def test_staff_of_another_organisation_may_not_triage(submitted, outsider):
    submission, _codename = submitted
    with pytest.raises(PermissionDenied):
        reply_send(actor=outsider, submission=submission, body="Hello")
    with pytest.raises(PermissionDenied):
        submission_discard(actor=outsider, submission=submission, reason="spam")


@pytest.mark.parametrize("body", ["", "  ", "r" * 20_001])
def test_an_empty_or_overlong_reply_is_refused(submitted, caseworker, body):
    submission, _codename = submitted
    with pytest.raises(ValidationError) as raised:
        reply_send(actor=caseworker, submission=submission, body=body)
    assert "body" in raised.value.message_dict
    assert not AuditEntry.objects.filter(action="intake.reply").exists()


def test_discard_erases_payload_messages_and_files_and_keeps_the_reason_encrypted(
    submitted, caseworker, private_media, django_capture_on_commit_callbacks
):
    submission, codename = submitted
    assert len(stored_blobs(private_media)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        submission_discard(actor=caseworker, submission=submission, reason="Not about our mandate")

    fresh = IntakeSubmission.objects.get(pk=submission.pk)
    assert fresh.status == SubmissionStatus.DISCARDED
    assert payload_of(fresh) == {} and fresh.verifier == "" and fresh.deadline_on is None
    assert fresh.discard_reason == "Not about our mandate"
    assert (fresh.triaged_by, fresh.message_count) == (caseworker, 0)
    assert not IntakeMessage.objects.exists() and not IntakeFile.objects.exists()
    assert stored_blobs(private_media) == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT payload, discard_reason FROM intake_intakesubmission")
        payload, reason = cursor.fetchone()
    assert payload is None and b"mandate" not in bytes(reason)
    assert submission_for_codename(codename=codename) is None
    entry = AuditEntry.objects.get(action="intake.discard")
    assert entry.actor_id == caseworker.pk and entry.details == {"messages": 1, "files": 2}


def test_discard_needs_a_reason_and_an_untriaged_submission(submitted, caseworker, private_media):
    submission, _codename = submitted
    with pytest.raises(ValidationError) as raised:
        submission_discard(actor=caseworker, submission=submission, reason="  ")
    assert "reason" in raised.value.message_dict
    assert payload_of(IntakeSubmission.objects.get(pk=submission.pk))["name"] == "Test Person"
    assert IntakeMessage.objects.count() == 1 and len(stored_blobs(private_media)) == 2
    IntakeSubmission.objects.filter(pk=submission.pk).update(status=SubmissionStatus.CONVERTED)
    with pytest.raises(ValidationError):
        submission_discard(actor=caseworker, submission=submission, reason="spam")
    assert not AuditEntry.objects.filter(action="intake.discard").exists()


def test_a_rolled_back_discard_keeps_the_files(submitted, caseworker, private_media, monkeypatch):
    from asylon.audit import services as audit

    submission, _codename = submitted

    def broken(**kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        submission_discard(actor=caseworker, submission=submission, reason="spam")
    assert IntakeFile.objects.count() == 2 and len(stored_blobs(private_media)) == 2
    assert IntakeSubmission.objects.get(pk=submission.pk).status == SubmissionStatus.UNTRIAGED


def test_mark_converted_links_the_case(submitted, caseworker, case):
    submission, codename = submitted
    mark_converted(actor=caseworker, submission=submission, case=case)
    fresh = IntakeSubmission.objects.get(pk=submission.pk)
    assert (fresh.status, fresh.converted_case, fresh.triaged_by) == (SubmissionStatus.CONVERTED, case, caseworker)
    assert submission.status == SubmissionStatus.CONVERTED
    entry = AuditEntry.objects.get(action="intake.mark_converted")
    assert entry.details == {"case": str(case.pk)} and entry.actor_id == caseworker.pk
    assert submission_for_codename(codename=codename).pk == submission.pk  # replies still reach the person
    with pytest.raises(ValidationError):
        mark_converted(actor=caseworker, submission=submission, case=case)


def test_mark_converted_refuses_a_case_the_actor_cannot_write(submitted, organisation, case):
    submission, _codename = submitted
    stranger = staff(organisation, Role.CASEWORKER)  # may triage, but is not a member of the case
    with pytest.raises(PermissionDenied):
        mark_converted(actor=stranger, submission=submission, case=case)
    assert IntakeSubmission.objects.get(pk=submission.pk).status == SubmissionStatus.UNTRIAGED
