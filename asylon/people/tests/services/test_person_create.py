import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from asylon.audit.models import AuditEntry
from asylon.cases.models import CaseParty
from asylon.people.models import Person, PersonLookup
from asylon.people.selectors import persons_matching_name
from asylon.people.services import person_create


def test_creates_person_on_case_with_lookups_and_audit(case, caseworker):
    person = person_create(
        actor=caseworker,
        case=case,
        given_name="Сяргей",
        family_name="Іваноў",
        birth_date=datetime.date(1994, 5, 17),
        citizenship="BY",
        identifiers=[{"kind": "passport", "number": "MP 1234567"}],
    )

    stored = Person.objects.get(pk=person.pk)
    assert stored.given_name == "Сяргей"
    assert stored.birth_year == 1994
    assert CaseParty.objects.filter(case=case, person=person).exists()
    assert PersonLookup.objects.filter(person=person).count() >= 3
    entry = AuditEntry.objects.get(action="person.create", target_id=str(person.pk))
    assert entry.actor == caseworker
    assert entry.organisation == case.organisation
    assert "given_name" in entry.changed_fields
    assert "Сяргей" not in str(entry.details) + str(entry.changed_fields)


def test_found_by_transliterated_name(case, caseworker):
    person = person_create(actor=caseworker, case=case, given_name="Сяргей", family_name="Іваноў")

    assert list(persons_matching_name(user=caseworker, text="Siarhei Ivanou")) == [person]
    assert list(persons_matching_name(user=caseworker, text="Sergei")) == [person]


@pytest.mark.parametrize(
    ("fields", "field_in_error"),
    [
        ({"citizenship": "Belarus"}, "citizenship"),
        ({"birth_date": datetime.date(2999, 1, 1)}, "birth_date"),
        ({"birth_year": 1990, "birth_date": datetime.date(1991, 1, 1)}, "birth_year"),
        ({"sex": "robot"}, "sex"),
        ({"given_name": "x" * 201}, "given_name"),
        ({"favourite_colour": "blue"}, "favourite_colour"),
    ],
)
def test_invalid_input_names_the_field_and_writes_nothing(case, caseworker, fields, field_in_error):
    with pytest.raises(ValidationError) as raised:
        person_create(actor=caseworker, case=case, **{"given_name": "Алег", **fields})

    assert field_in_error in raised.value.message_dict
    assert not Person.objects.exists()
    assert not AuditEntry.objects.filter(action="person.create").exists()


def test_outsider_cannot_create_person_on_case(case, outsider):
    with pytest.raises(PermissionDenied):
        person_create(actor=outsider, case=case, given_name="Алег")

    assert not Person.objects.exists()


def test_analyst_cannot_create_person(case, analyst):
    with pytest.raises(PermissionDenied):
        person_create(actor=analyst, case=case, given_name="Алег")
