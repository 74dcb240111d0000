import io
import json
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pyrage import decrypt, x25519

from asylon.audit.models import AuditEntry
from asylon.evidence.models import CustodyEntry
from asylon.people.services_subject_access import subject_access_export
from asylon.people.tests.gdpr.conftest import PASSPORT
from tests.factories import case_with_member, staff


@pytest.fixture
def identity():
    return x25519.Identity.generate()


def opened(exported, identity) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(decrypt(exported.content, [identity])))


def export(actor, person, identity, **fields):
    values = {"fmt": "html", "recipients": str(identity.to_public()), **fields}
    return subject_access_export(actor=actor, person=person, **values)


def test_the_answer_holds_everything_about_the_person_readable_and_as_json(subject, org_admin, identity):
    exported = export(org_admin, subject.person, identity)

    archive = opened(exported, identity)
    assert sorted(archive.namelist()) == ["subject-access.html", "subject-access.json"]
    data = json.loads(archive.read("subject-access.json"))
    assert data["format"] == "asylon.subject-access/1" and data["person_id"] == str(subject.person.pk)
    (person,) = data["person"]
    assert (person["given_name"], person["family_name"]) == ("Uladzimir", "Zhdanovich")
    assert person["identifiers"] == [{"kind": "passport", "number": PASSPORT}]
    assert data["military_service"][0]["unit"] == "Unit 0000"
    assert data["relatives"][0]["description"] == "Mother, questioned in 2023"
    assert data["named_as_relative"][0]["description"] == "Brother, a witness"
    assert data["consents"][0]["purpose"] == "casework"
    assert data["merged_records"] == [{"former_id": str(subject.merged_id)}]
    cases = {case["id"]: case for case in data["cases"]}
    own = cases[str(subject.own_case.pk)]
    assert own["summary"] == "Summons and a refused permit." and own["role"] == "client"
    assert [event["event_type"] for event in own["events"]] == ["summons_issued"]
    assert own["decisions"][0]["decision_type"] == "residence_permit_temporary"
    assert own["deadlines"] and len(own["documents"]) == 1
    shared = cases[str(subject.shared_case.pk)]
    assert shared["role"] == "witness"
    # Another client's event in the shared case is theirs, not this person's: left out.
    assert [event["description"] for event in shared["events"]] == ["He was questioned as a witness."]
    assert [note["body"] for note in shared["notes"]] == ["Shared case note"]
    assert [(note["body"], note["privileged"]) for note in own["notes"]] == [("Privileged advice", True)]
    (submission,) = data["intake_submissions"]
    assert "summons" in submission["submitted"]["text"] and submission["submitted"]["name"]
    assert {entry["action"] for entry in data["audit"]} >= {"person.create", "person.update", "intake.convert"}
    readable = archive.read("subject-access.html").decode()
    assert "Uladzimir" in readable and "Unit 0000" in readable and "Brother, a witness" in readable
    assert exported.filename.endswith(".zip.age") and exported.counts["cases"] == 2


def test_document_files_are_included_on_request_and_enter_their_custody(subject, org_admin, identity):
    exported = export(org_admin, subject.person, identity, include_files=True)

    names = opened(exported, identity).namelist()
    files = sorted(name.split("-", 1)[1] for name in names if name.startswith("documents/"))
    assert files == sorted([subject.kept_file_name, "statement.png"])
    assert CustodyEntry.objects.filter(action="exported").count() == 2


def test_the_export_is_audited_without_personal_values(subject, org_admin, identity):
    export(org_admin, subject.person, identity)

    entry = AuditEntry.objects.get(action="person.subject_access_export")
    assert entry.target_id == str(subject.person.pk) and entry.actor == org_admin
    assert entry.details["format"] == "html" and entry.details["counts"]["cases"] == 2
    assert entry.details["privileged_notes"] == 1
    assert "Uladzimir" not in json.dumps(entry.details)


@pytest.mark.parametrize("role", ["caseworker", "lawyer", "viewer", "auditor", "analyst"])
def test_only_organisation_admins_answer_access_requests(subject, identity, role):
    actor = staff(subject.person.organisation, role)
    case_with_member(subject.person.organisation, actor)
    entries = AuditEntry.objects.count()

    with pytest.raises(PermissionDenied):
        export(actor, subject.person, identity)
    assert AuditEntry.objects.count() == entries


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"fmt": "docx"}, "fmt"),
        ({"recipients": "not a key"}, "recipients"),
        ({"recipients": "", "passphrase": "short"}, "passphrase"),
    ],
)
def test_bad_input_is_refused_by_field_and_nothing_is_recorded(subject, org_admin, identity, fields, field):
    entries = AuditEntry.objects.count()

    with pytest.raises(ValidationError) as refused:
        export(org_admin, subject.person, identity, **fields)

    assert field in refused.value.message_dict
    assert AuditEntry.objects.count() == entries


def test_neither_or_both_secrets_are_refused(subject, org_admin, identity):
    with pytest.raises(ValidationError):
        export(org_admin, subject.person, identity, recipients="")
    with pytest.raises(ValidationError):
        export(org_admin, subject.person, identity, passphrase="a long enough passphrase")


@pytest.mark.sqlite_only
def test_the_readable_file_may_be_a_pdf(subject, org_admin, identity):
    exported = export(org_admin, subject.person, identity, fmt="pdf")

    archive = opened(exported, identity)
    assert archive.read("subject-access.pdf").startswith(b"%PDF")
