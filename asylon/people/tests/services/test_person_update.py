import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from asylon.audit.models import AuditEntry
from asylon.people.models import Person
from asylon.people.selectors import persons_matching_name
from asylon.people.services import person_create, person_update


@pytest.fixture
def person(case, caseworker):
    return person_create(actor=caseworker, case=case, given_name="Алег", family_name="Казлоў")


def test_update_changes_fields_refreshes_lookups_and_audits(person, caseworker):
    person_update(actor=caseworker, person=person, given_name="Дзмітрый", region="Vilnius")

    stored = Person.objects.get(pk=person.pk)
    assert stored.given_name == "Дзмітрый"
    assert stored.region == "Vilnius"
    assert list(persons_matching_name(user=caseworker, text="Dmitry Kozlov")) == [person]
    assert not persons_matching_name(user=caseworker, text="Aleh").exists()
    entry = AuditEntry.objects.get(action="person.update")
    assert entry.changed_fields == ["given_name", "region"]


def test_invalid_update_writes_nothing(person, caseworker):
    with pytest.raises(ValidationError) as raised:
        person_update(actor=caseworker, person=person, given_name="Дзмітрый", citizenship="xx")

    assert "citizenship" in raised.value.message_dict
    assert Person.objects.get(pk=person.pk).given_name == "Алег"
    assert not AuditEntry.objects.filter(action="person.update").exists()


def test_non_member_cannot_update(person, organisation):
    from tests.factories import staff

    other_caseworker = staff(organisation)
    with pytest.raises(PermissionDenied):
        person_update(actor=other_caseworker, person=person, given_name="X")
