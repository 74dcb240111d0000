"""public_message_add: more from the person on the status page, encrypted, in sequence, audited without actor."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from asylon.audit.models import AuditEntry
from asylon.intake.files import intake_file_read
from asylon.intake.models import IntakeFile, IntakeMessage, IntakeSubmission, MessageDirection, SubmissionStatus
from asylon.intake.services.submissions import public_message_add
from asylon.intake.tests.services.conftest import stored_blobs, submit


def test_a_message_is_encrypted_in_sequence_and_audited_without_actor_or_address(organisation):
    submission, _codename = submit(organisation)
    first = public_message_add(submission=submission, body="Они пришли снова", files=[])
    second = public_message_add(submission=submission, body="Second", files=[])

    assert (first.seq, second.seq) == (1, 2)
    assert first.direction == MessageDirection.FROM_PERSON and first.author is None
    fresh = IntakeSubmission.objects.get(pk=submission.pk)
    assert fresh.message_count == 2 and fresh.last_public_message_on is not None
    assert (fresh.updated_at.minute, fresh.updated_at.second, fresh.updated_at.microsecond) == (0, 0, 0)
    assert IntakeMessage.objects.get(pk=first.pk).body == "Они пришли снова"
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM intake_intakemessage")
        assert all("пришли".encode() not in bytes(row[0]) for row in cursor.fetchall())
    entries = AuditEntry.objects.filter(action="intake.message").order_by("sequence")
    assert [entry.details["message"] for entry in entries] == [str(first.pk), str(second.pk)]
    assert all(entry.actor_id is None and entry.remote_address is None for entry in entries)


def test_files_come_with_the_message(organisation, private_media):
    submission, _codename = submit(organisation)
    note = SimpleUploadedFile("more.txt", b"the decision", content_type="text/plain")
    message = public_message_add(submission=submission, body="", files=[note])
    file = IntakeFile.objects.get(message=message)
    assert file.submission_id == submission.pk
    assert intake_file_read(file) == b"the decision"
    assert stored_blobs(private_media) == [file.blob_name]


@pytest.mark.parametrize("body", ["", "   ", "b" * 20_001])
def test_an_empty_or_overlong_message_is_refused(organisation, body):
    submission, _codename = submit(organisation)
    with pytest.raises(ValidationError) as raised:
        public_message_add(submission=submission, body=body, files=[])
    assert "body" in raised.value.message_dict
    assert not IntakeMessage.objects.exists()
    assert not AuditEntry.objects.filter(action="intake.message").exists()


def test_a_discarded_submission_takes_no_more_messages(organisation):
    submission, _codename = submit(organisation)
    IntakeSubmission.objects.filter(pk=submission.pk).update(status=SubmissionStatus.DISCARDED)
    with pytest.raises(ValidationError):
        public_message_add(submission=submission, body="hello", files=[])
    assert not IntakeMessage.objects.exists()


def test_a_failed_message_leaves_no_row_and_no_blob(organisation, monkeypatch, private_media):
    from asylon.audit import services as audit

    submission, _codename = submit(organisation)

    def broken(**kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(audit, "record", broken)
    note = SimpleUploadedFile("more.txt", b"text", content_type="text/plain")
    with pytest.raises(RuntimeError):
        public_message_add(submission=submission, body="more", files=[note])
    assert not IntakeMessage.objects.exists() and not IntakeFile.objects.exists()
    assert stored_blobs(private_media) == []
    assert IntakeSubmission.objects.get(pk=submission.pk).message_count == 0
