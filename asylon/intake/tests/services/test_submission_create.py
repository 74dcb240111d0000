"""submission_create: the payload encrypted at once, the codename returned once, coarse times, a public audit entry."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from asylon.audit.models import AuditEntry
from asylon.evidence.tests import samples
from asylon.intake import codename as codenames
from asylon.intake.files import intake_file_read
from asylon.intake.models import IntakeFile, IntakeSubmission, SubmissionStatus, Urgency
from asylon.intake.services.submissions import payload_of, submission_create
from asylon.intake.tests.services.conftest import stored_blobs

NAME = "Алесь Пятровіч"
TEXT = "Позва ў ваенкамат на 3 сакавіка; I live in Vilnius"


def submit(organisation, **fields):
    values = {
        "organisation": organisation,
        "language": "be",
        "name": NAME,
        "contact": "signal: +370 600 00000",
        "situations": ["detention", "summons_issued"],
        "deadline_on": None,
        "text": TEXT,
        "files": [],
    }
    values.update(fields)
    return submission_create(**values)


def test_payload_is_encrypted_and_decodes_to_the_form_as_submitted(organisation):
    submission, codename = submit(organisation, deadline_on=datetime.date(2026, 12, 1))

    fresh = IntakeSubmission.objects.get(pk=submission.pk)
    assert payload_of(fresh) == {
        "name": NAME,
        "contact": "signal: +370 600 00000",
        "situations": ["summons_issued", "detention"],  # in the form's order
        "deadline_on": "2026-12-01",
        "text": TEXT,
        "language": "be",
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT payload, lookup_key, verifier FROM intake_intakesubmission")
        payload, lookup_key, verifier = cursor.fetchone()
    raw = bytes(payload)
    assert NAME.encode() not in raw and "Пятровіч".encode("unicode_escape") not in raw
    assert b"Vilnius" not in raw and b"signal" not in raw
    assert codename not in lookup_key + verifier
    assert lookup_key == codenames.lookup_key(codename)
    assert verifier.startswith("$argon2id$")
    assert fresh.status == SubmissionStatus.UNTRIAGED and fresh.language == "be"
    assert fresh.urgency == Urgency.DETENTION


def test_codename_is_not_stored_anywhere_in_the_row(organisation):
    _submission, codename = submit(organisation)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM intake_intakesubmission")
        row = cursor.fetchone()
    for value in row:
        text = bytes(value) if isinstance(value, (bytes, memoryview)) else str(value).encode()
        assert codename.encode() not in text
        assert codenames.normalised(codename).encode() not in text


def test_times_are_kept_to_the_hour(organisation):
    submission, _codename = submit(organisation)
    fresh = IntakeSubmission.objects.get(pk=submission.pk)
    for moment in (fresh.created_at, fresh.updated_at, submission.created_at):
        assert (moment.minute, moment.second, moment.microsecond) == (0, 0, 0)
    assert timezone.now() - fresh.created_at < datetime.timedelta(hours=1)


@pytest.mark.parametrize(
    ("situations", "deadline_in_days", "urgency"),
    [
        (["detention"], None, Urgency.DETENTION),
        (["summons_issued"], 3, Urgency.DEADLINE_SOON),
        (["summons_issued"], 14, Urgency.DEADLINE_SOON),
        (["summons_issued"], -2, Urgency.DEADLINE_SOON),  # passed: still needs someone now
        (["criminal_case_opened"], 15, Urgency.DEADLINE),
        (["temp_residence_refused"], None, Urgency.NONE),
    ],
)
def test_urgency_is_computed_at_submission(organisation, situations, deadline_in_days, urgency):
    deadline = None if deadline_in_days is None else timezone.localdate() + datetime.timedelta(days=deadline_in_days)
    submission, _codename = submit(organisation, situations=situations, deadline_on=deadline)
    assert submission.urgency == urgency
    assert submission.deadline_on == deadline


def test_audit_entry_names_no_actor_no_address_and_ids_only(organisation, client):
    submission, _codename = submit(organisation)
    entry = AuditEntry.objects.get(action="intake.submit")
    assert entry.actor_id is None and entry.remote_address is None
    assert entry.organisation_id == organisation.pk
    assert (entry.target_type, entry.target_id) == ("intake.intakesubmission", str(submission.pk))
    assert entry.details == {"files": []}
    assert NAME not in json.dumps(entry.details, ensure_ascii=False)


def test_audit_entry_is_in_the_same_transaction_and_a_failure_leaves_no_blob(organisation, monkeypatch, private_media):
    from asylon.audit import services as audit

    def broken(**kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(audit, "record", broken)
    note = SimpleUploadedFile("note.txt", b"text", content_type="text/plain")
    with pytest.raises(RuntimeError):
        submit(organisation, files=[note])
    assert not IntakeSubmission.objects.exists() and not IntakeFile.objects.exists()
    assert stored_blobs(private_media) == []


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"contact": "c" * 501}, "contact"),
        ({"text": "t" * 20_001}, "text"),
        ({"text": "", "situations": []}, "text"),
        ({"situations": ["arrest"]}, "situations"),
        ({"deadline_on": "31.03.2026"}, "deadline_on"),
        ({"deadline_on": "1800-01-01"}, "deadline_on"),
        ({"language": "de"}, "language"),
    ],
)
def test_invalid_input_is_refused_by_field_and_nothing_is_written(organisation, fields, field):
    with pytest.raises(ValidationError) as raised:
        submit(organisation, **fields)
    assert field in raised.value.message_dict
    assert not IntakeSubmission.objects.exists()
    assert not AuditEntry.objects.filter(action="intake.submit").exists()


def test_limits_are_inclusive(organisation):
    submission, _codename = submit(organisation, name="n" * 200, contact="c" * 500, text="t" * 20_000)
    assert payload_of(submission)["text"] == "t" * 20_000


def test_text_is_kept_exactly_as_typed(organisation):
    typed = "  leading blanks, \u0000 a NUL, \ud800 a lone surrogate, ﷽, 𝕳, \r\n trailing  "
    submission, _codename = submit(organisation, name=typed, contact=typed, text=typed)
    payload = payload_of(IntakeSubmission.objects.get(pk=submission.pk))
    assert payload["name"] == payload["contact"] == payload["text"] == typed


def test_files_are_checked_stripped_encrypted_and_bound(organisation, private_media):
    photo = SimpleUploadedFile("summons.jpg", samples.jpeg_with_gps(), content_type="image/jpeg")
    note = SimpleUploadedFile("note.txt", "Позва".encode(), content_type="text/plain")
    submission, _codename = submit(organisation, files=[photo, note])

    files = list(IntakeFile.objects.filter(submission=submission).order_by("content_type"))
    assert [file.content_type for file in files] == ["image/jpeg", "text/plain"]
    assert sorted(stored_blobs(private_media)) == sorted(file.blob_name for file in files)
    jpeg = intake_file_read(files[0])
    assert samples.AUTHOR.encode() not in jpeg and b"TestCam" not in jpeg
    assert intake_file_read(files[1]) == "Позва".encode()
    assert "Позва".encode() not in (private_media / "intake" / files[1].blob_name).read_bytes()
    assert files[0].filename == "summons.jpg"
    entry = AuditEntry.objects.get(action="intake.submit")
    assert sorted(entry.details["files"]) == sorted(str(file.pk) for file in files)


def test_a_refused_file_refuses_the_submission_and_writes_nothing(organisation, private_media):
    good = SimpleUploadedFile("note.txt", b"fine", content_type="text/plain")
    bad = SimpleUploadedFile("tool.exe", b"MZ\x90\x00" + b"\x00" * 60, content_type="application/octet-stream")
    with pytest.raises(ValidationError) as raised:
        submit(organisation, files=[good, bad])
    assert "files" in raised.value.message_dict
    assert "tool.exe" in raised.value.message_dict["files"][0]
    assert not IntakeSubmission.objects.exists() and not IntakeFile.objects.exists()
    assert stored_blobs(private_media) == []


def test_at_most_five_files(organisation, private_media):
    files = [SimpleUploadedFile(f"n{index}.txt", b"text", content_type="text/plain") for index in range(6)]
    with pytest.raises(ValidationError) as raised:
        submit(organisation, files=files)
    assert "files" in raised.value.message_dict
    assert stored_blobs(private_media) == []


def test_a_file_over_the_size_limit_is_refused(organisation, settings, private_media):
    settings.ASYLON_MAX_DOCUMENT_BYTES = 10
    big = SimpleUploadedFile("big.txt", b"x" * 11, content_type="text/plain")
    with pytest.raises(ValidationError) as raised:
        submit(organisation, files=[big])
    assert "MB" in raised.value.message_dict["files"][0]
    assert not IntakeSubmission.objects.exists()


def test_a_blob_moved_to_another_file_row_fails_to_open(organisation, private_media):
    first = SimpleUploadedFile("a.txt", b"first", content_type="text/plain")
    second = SimpleUploadedFile("b.txt", b"second", content_type="text/plain")
    submission, _codename = submit(organisation, files=[first, second])
    one, other = IntakeFile.objects.filter(submission=submission)
    (private_media / "intake" / one.blob_name).write_bytes((private_media / "intake" / other.blob_name).read_bytes())
    with pytest.raises(ValidationError):
        intake_file_read(one)
