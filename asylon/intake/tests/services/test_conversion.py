"""Converting a submission into a person and a case: what it creates, the deadlines, the files, the audit, atomicity."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from asylon.accounts.models import Role
from asylon.audit.models import AuditEntry
from asylon.cases.models import Case, CaseMembership, CaseParty, Deadline, Decision, Event
from asylon.evidence.models import Document
from asylon.evidence.services.documents import document_content
from asylon.evidence.tests.samples import png
from asylon.intake.models import IntakeSubmission, SubmissionStatus
from asylon.intake.services.conversion import contacts_from, intake_file_content, split_name, submission_convert
from asylon.intake.tests.triage_helpers import png_upload, submitted
from asylon.people.models import Person
from tests.factories import OrganisationFactory, staff

pytestmark = pytest.mark.django_db


def stored_documents(media) -> list[str]:
    folder = media / "documents"
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


# --- splitting what was typed in one box ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Alex", ("Alex", "", "")),
        ("Сяргей Ковалёў", ("Сяргей", "", "Ковалёў")),
        ("Сяргей Іванавіч Ковалёў", ("Сяргей", "Іванавіч", "Ковалёў")),
        ("Ковалёв Сергей Иванович", ("Сергей", "Иванович", "Ковалёв")),
        ("Олена Петрівна Шевченко", ("Олена", "Петрівна", "Шевченко")),
        ("Aliaksandr Ivanovich Kavalenka", ("Aliaksandr", "Ivanovich", "Kavalenka")),
        ("Anna Maria Petraitė", ("Anna Maria", "", "Petraitė")),
        ("  ", ("", "", "")),
    ],
)
def test_split_name(name, expected):
    parts = split_name(name)
    assert (parts["given_name"], parts["patronymic"], parts["family_name"]) == expected


@pytest.mark.parametrize(
    ("contact", "expected"),
    [
        ("Signal: +370 600 00001", [{"kind": "signal", "value": "+370 600 00001"}]),
        ("someone@example.org", [{"kind": "email", "value": "someone@example.org"}]),
        ("+370 600 00001", [{"kind": "phone", "value": "+370 600 00001"}]),
        ("ask for Olga at the church", [{"kind": "other", "value": "ask for Olga at the church"}]),
        ("", []),
    ],
)
def test_contacts_from(contact, expected):
    assert contacts_from(contact) == expected


# --- the conversion -------------------------------------------------------------------------


def convert(actor, submission, **fields):
    values = {
        "given_name": "Aliaksandr",
        "patronymic": "Ivanovich",
        "family_name": "Kavalenka",
        "contacts": [{"kind": "signal", "value": "+370 600 00001"}],
        "summary": "Summons and a refused permit.",
        "risk": "high",
        "situations": ["summons_issued", "temp_residence_refused"],
        "situations_year": 2024,
        **fields,
    }
    return submission_convert(actor=actor, submission=submission, **values)


def test_conversion_creates_the_person_case_party_and_events(organisation, caseworker):
    submission = submitted(organisation)

    case = convert(caseworker, submission)

    assert case.organisation == organisation and case.risk == "high"
    assert case.summary == "Summons and a refused permit."
    assert case.lead_assignee == caseworker
    assert CaseMembership.objects.filter(case=case, user=caseworker).exists()
    party = CaseParty.objects.get(case=case)
    person = Person.objects.get(pk=party.person_id)
    assert (person.given_name, person.patronymic, person.family_name) == ("Aliaksandr", "Ivanovich", "Kavalenka")
    assert person.contacts == [{"kind": "signal", "value": "+370 600 00001"}]
    assert person.languages == ["en"]
    events = Event.objects.filter(case=case).select_related("event_type")
    assert sorted(event.event_type.code for event in events) == ["summons_issued", "temp_residence_refused"]
    assert {(event.year, event.date_precision, event.person_id) for event in events} == {(2024, "year", person.pk)}
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.CONVERTED
    assert submission.converted_case == case


def test_a_decision_date_computes_its_deadlines(organisation, caseworker):
    submission = submitted(organisation)
    served = datetime.date(2024, 3, 4)

    case = convert(
        caseworker,
        submission,
        decision_type="residence_permit_temporary",
        decision_maker="migration_department",
        served_on=served,
    )

    decision = Decision.objects.get(case=case)
    assert decision.served_on == served
    deadline = Deadline.objects.get(case=case, decision=decision)
    assert deadline.due_on == datetime.date(2024, 3, 18)  # 14 days from service (legal rule data)
    assert deadline.legal_rule.code == "lt_residence_temporary_appeal"


def test_the_deadline_the_person_gave_becomes_a_hand_entered_deadline(organisation, caseworker):
    submission = submitted(organisation)
    case = convert(caseworker, submission, stated_deadline_on=datetime.date(2030, 5, 6))
    deadline = Deadline.objects.get(case=case)
    assert (deadline.kind, deadline.due_on, deadline.decision_id) == ("other", datetime.date(2030, 5, 6), None)


def test_chosen_files_become_case_documents(organisation, caseworker, private_media):
    submission = submitted(organisation, files=[png_upload("first.png"), png_upload("second.png")])
    first, second = submission.files.order_by("created_at", "pk")
    chosen = [file for file in (first, second) if file.filename == "first.png"]

    case = convert(caseworker, submission, keep_files=chosen)

    (document,) = Document.objects.filter(case=case)
    assert document.filename == "first.png" and document.content_type == "image/png"
    assert document.person == Person.objects.get(case_parties__case=case)
    assert document_content(actor=caseworker, document=document)[:8] == png()[:8]
    assert len(stored_documents(private_media)) == 1


def test_conversion_is_audited(organisation, caseworker):
    submission = submitted(organisation)
    case = convert(caseworker, submission)
    entry = AuditEntry.objects.get(action="intake.convert")
    assert entry.target_id == str(submission.pk)
    assert entry.details["case_id"] == str(case.pk)
    assert entry.actor == caseworker
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"case.open", "person.create", "event.create"} <= actions


def test_a_failure_midway_leaves_nothing_behind(organisation, caseworker, private_media):
    submission = submitted(organisation, files=[png_upload()])
    before = {model: model.objects.count() for model in (Case, Person, Event, Decision, Document, AuditEntry)}

    with pytest.raises(ValidationError) as refused:
        convert(
            caseworker,
            submission,
            keep_files=list(submission.files.all()),
            decision_type="residence_permit_temporary",
            decision_maker="migration_department",
            served_on=datetime.date(2024, 3, 4),
            decided_on=datetime.date(2024, 3, 9),  # served before it was taken: decision_record refuses
        )

    assert "served_on" in refused.value.error_dict
    assert {model: model.objects.count() for model in before} == before
    assert stored_documents(private_media) == []
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.UNTRIAGED


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"given_name": "", "family_name": ""}, "given_name"),
        ({"situations": ["arrest"]}, "situations"),
        ({"situations_year": None}, "situations_year"),
        ({"served_on": datetime.date(2024, 3, 4)}, "decision_type"),
        ({"decision_type": "visa", "decision_maker": ""}, "decision_maker"),
    ],
)
def test_bad_input_is_refused_by_field_and_nothing_is_written(organisation, caseworker, fields, field):
    submission = submitted(organisation)
    with pytest.raises(ValidationError) as refused:
        convert(caseworker, submission, **fields)
    assert field in refused.value.error_dict
    assert not Case.objects.exists()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.UNTRIAGED


def test_a_submission_is_converted_once(organisation, caseworker):
    submission = submitted(organisation)
    convert(caseworker, submission)
    with pytest.raises(ValidationError):
        convert(caseworker, IntakeSubmission.objects.get(pk=submission.pk))
    assert Case.objects.count() == 1


@pytest.mark.parametrize("role", [Role.ANALYST, Role.VIEWER, Role.AUDITOR])
def test_roles_without_triage_are_refused(organisation, role):
    submission = submitted(organisation)
    with pytest.raises(PermissionDenied):
        convert(staff(organisation, role), submission)
    assert not Case.objects.exists()


def test_another_organisations_caseworker_is_refused(organisation):
    submission = submitted(organisation)
    with pytest.raises(PermissionDenied):
        convert(staff(OrganisationFactory(), Role.CASEWORKER), submission)
    assert not Case.objects.exists()


def test_file_content_is_audited_and_refused_to_others(organisation, caseworker):
    submission = submitted(organisation, files=[png_upload()])
    (intake_file,) = submission.files.all()
    assert intake_file_content(actor=caseworker, intake_file=intake_file)[:8] == png()[:8]
    assert AuditEntry.objects.filter(action="intake.file_download").count() == 1
    with pytest.raises(PermissionDenied):
        intake_file_content(actor=staff(organisation, Role.VIEWER), intake_file=intake_file)


def test_a_file_of_another_submission_is_refused(organisation, caseworker, private_media):
    submission = submitted(organisation)
    other = submitted(organisation, files=[png_upload()])
    with pytest.raises(ValidationError) as refused:
        convert(caseworker, submission, keep_files=list(other.files.all()))
    assert "keep_files" in refused.value.error_dict
    assert not Case.objects.exists() and stored_documents(private_media) == []
