import pytest

from asylon.accounts.models import Organisation
from asylon.people.models import Person


@pytest.mark.django_db
def test_encrypted_round_trip():
    org = Organisation.objects.create(name="Org", slug="org")
    person = Person(organisation=org, given_name="Сяргей", family_name="Іваноў", contacts={"phone": "+370"})
    person.save()
    loaded = Person.objects.get(pk=person.pk)
    assert loaded.given_name == "Сяргей"
    assert loaded.contacts == {"phone": "+370"}
