import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from asylon.audit.models import AuditEntry
from asylon.cases.models import Note
from asylon.cases.selectors import notes_of_case
from asylon.cases.services.notes import note_add, note_update


def test_caseworker_adds_note_and_it_is_audited(case, caseworker):
    note = note_add(actor=caseworker, case=case, body="Called the client")
    assert Note.objects.get(pk=note.pk).body == "Called the client"
    assert AuditEntry.objects.get(action="note.create").details == {"privileged": False}


def test_privileged_notes_are_for_lawyers_only(case, caseworker, lawyer):
    with pytest.raises(PermissionDenied):
        note_add(actor=caseworker, case=case, body="Strategy", privileged=True)
    privileged = note_add(actor=lawyer, case=case, body="Strategy", privileged=True)
    ordinary = note_add(actor=caseworker, case=case, body="Logistics")

    assert list(notes_of_case(user=lawyer, case=case)) == [privileged, ordinary]
    assert list(notes_of_case(user=caseworker, case=case)) == [ordinary]


def test_empty_note_is_refused(case, caseworker):
    with pytest.raises(ValidationError) as raised:
        note_add(actor=caseworker, case=case, body="   ")
    assert "body" in raised.value.message_dict
    assert not Note.objects.exists()


def test_only_author_edits(case, caseworker, lawyer):
    note = note_add(actor=caseworker, case=case, body="First")
    with pytest.raises(ValidationError):
        note_update(actor=lawyer, note=note, body="Changed")
    note_update(actor=caseworker, note=note, body="Second")
    assert Note.objects.get(pk=note.pk).body == "Second"


def test_outsider_cannot_add(case, outsider):
    with pytest.raises(PermissionDenied):
        note_add(actor=outsider, case=case, body="x")
