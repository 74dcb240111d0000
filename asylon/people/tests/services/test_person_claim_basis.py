import pytest
from django.core.exceptions import ValidationError

from asylon.audit.models import AuditEntry
from asylon.people.models import Person
from asylon.people.services import person_create, person_update


def test_claim_basis_is_given_as_a_vocabulary_code(case, caseworker):
    person = person_create(actor=caseworker, case=case, given_name="Алег", claim_basis="desertion")
    assert Person.objects.get(pk=person.pk).claim_basis.code == "desertion"

    person_update(actor=caseworker, person=person, claim_basis="")

    assert Person.objects.get(pk=person.pk).claim_basis is None


def test_an_unknown_claim_basis_names_the_field_and_writes_nothing(case, caseworker):
    with pytest.raises(ValidationError) as raised:
        person_create(actor=caseworker, case=case, given_name="Алег", claim_basis="tourism")
    assert "claim_basis" in raised.value.message_dict
    assert not Person.objects.exists()
    assert not AuditEntry.objects.filter(action="person.create").exists()
