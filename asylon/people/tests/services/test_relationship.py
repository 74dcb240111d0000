import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from asylon.audit.models import AuditEntry
from asylon.people.models import Relationship
from asylon.people.services import person_create, relationship_add, relationship_update
from tests.factories import case_with_member, person_on_case


@pytest.fixture
def person(case, caseworker):
    return person_create(actor=caseworker, case=case, given_name="Павел")


def test_relative_on_record_is_linked_and_audited(case, person, caseworker):
    brother = person_create(actor=caseworker, case=case, given_name="Міхаіл", role="relative")

    relationship = relationship_add(
        actor=caseworker, person=person, kind="sibling", relative=brother, in_security_structures=True
    )

    stored = Relationship.objects.get(pk=relationship.pk)
    assert (stored.relative, stored.kind, stored.in_security_structures) == (brother, "sibling", True)
    entry = AuditEntry.objects.get(action="relationship.create", target_id=str(relationship.pk))
    assert entry.details["kind"] == "sibling"


def test_described_relative_and_update(person, caseworker):
    relationship = relationship_add(actor=caseworker, person=person, kind="parent", description="Mother, in Homiel")

    relationship_update(actor=caseworker, relationship=relationship, under_pressure=True)

    stored = Relationship.objects.get(pk=relationship.pk)
    assert (stored.description, stored.under_pressure) == ("Mother, in Homiel", True)
    assert AuditEntry.objects.get(action="relationship.update").changed_fields == ["under_pressure"]


def test_own_relative_and_invisible_relative_are_refused(organisation, person, caseworker):
    stranger = person_on_case(case_with_member(organisation))
    for relative, field in ((person, "relative"), (stranger, "relative")):
        with pytest.raises(ValidationError) as raised:
            relationship_add(actor=caseworker, person=person, kind="sibling", relative=relative)
        assert field in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        relationship_add(actor=caseworker, person=person, kind="cousin")
    assert "kind" in raised.value.message_dict
    assert not Relationship.objects.exists()
    assert not AuditEntry.objects.filter(action="relationship.create").exists()


def test_outsider_is_refused(person, outsider):
    with pytest.raises(PermissionDenied):
        relationship_add(actor=outsider, person=person, kind="parent")
    assert not Relationship.objects.exists()
