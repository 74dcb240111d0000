"""Encryption binding: a ciphertext opens only in the row and field it was written for.

Associated data is `app_label.model.field:pk`, so ciphertexts moved with raw SQL (between rows,
between fields, between models) fail to decrypt, and SQL-level writes or lookups with plaintext
are refused.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction

from asylon.accounts.models import Organisation
from asylon.cases.models import Case
from asylon.common.crypto.keyring import DecryptionError, key_id_of, keyring
from asylon.common.encrypted import encrypted_update
from asylon.people.models import Person
from tests.security.raw_sql import store_bytes, stored_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return Organisation.objects.create(name="Binding Test Centre", slug="binding-test")


@pytest.fixture
def two_persons(organisation):
    first = Person(organisation=organisation, given_name="Аляксандра", family_name="Кавалёва")
    second = Person(organisation=organisation, given_name="Tsikhan", family_name="Marozau")
    first.save()
    second.save()
    return first, second


def reloaded(person: Person) -> Person:
    return Person.objects.get(pk=person.pk)


def test_values_round_trip_and_the_database_holds_only_ciphertext(organisation):
    person = Person(
        organisation=organisation,
        given_name="Сцяпан",
        family_name="Лукашэвіч",
        contacts={"phone": "+37061234567", "signal": "@stsiapan"},
        birth_date=datetime.date(1994, 3, 17),
    )
    person.save()

    loaded = reloaded(person)
    assert (loaded.given_name, loaded.family_name) == ("Сцяпан", "Лукашэвіч")
    assert loaded.contacts == {"phone": "+37061234567", "signal": "@stsiapan"}
    assert loaded.birth_date == datetime.date(1994, 3, 17)
    for field_name, plaintext in [
        ("given_name", "Сцяпан"),
        ("family_name", "Лукашэвіч"),
        ("contacts", "+37061234567"),
        ("birth_date", "1994-03-17"),
    ]:
        stored = stored_bytes(Person, field_name, person.pk)
        assert plaintext.encode() not in stored
        assert stored[0] == 0x01
        assert key_id_of(stored) == keyring().primary_key_id


def test_a_ciphertext_swapped_between_two_rows_does_not_decrypt(two_persons):
    first, second = two_persons
    first_ciphertext = stored_bytes(Person, "given_name", first.pk)
    second_ciphertext = stored_bytes(Person, "given_name", second.pk)
    store_bytes(Person, "given_name", first.pk, second_ciphertext)
    store_bytes(Person, "given_name", second.pk, first_ciphertext)

    for person in two_persons:
        with pytest.raises(DecryptionError):
            _ = reloaded(person).given_name


def test_a_ciphertext_swapped_between_two_fields_of_a_row_does_not_decrypt(two_persons):
    person, _other = two_persons
    given = stored_bytes(Person, "given_name", person.pk)
    family = stored_bytes(Person, "family_name", person.pk)
    store_bytes(Person, "given_name", person.pk, family)
    store_bytes(Person, "family_name", person.pk, given)

    loaded = reloaded(person)
    with pytest.raises(DecryptionError):
        _ = loaded.given_name
    with pytest.raises(DecryptionError):
        _ = loaded.family_name


def test_a_ciphertext_copied_from_a_person_to_a_case_does_not_decrypt(organisation, two_persons):
    person, _other = two_persons
    case = Case(organisation=organisation, reference="BIND-1", opened_on=datetime.date(2024, 5, 2), summary="x")
    case.save()
    store_bytes(Case, "summary", case.pk, stored_bytes(Person, "given_name", person.pk))

    with pytest.raises(DecryptionError):
        _ = Case.objects.get(pk=case.pk).summary


def test_the_swap_is_what_fails_the_values_themselves_are_intact(two_persons):
    first, second = two_persons
    store_bytes(Person, "given_name", first.pk, stored_bytes(Person, "given_name", second.pk))

    assert reloaded(second).given_name == "Tsikhan"
    assert reloaded(first).family_name == "Кавалёва"


def test_sql_update_with_a_plaintext_value_is_refused(two_persons):
    person, _other = two_persons
    with pytest.raises(TypeError, match="encrypted"), transaction.atomic():
        Person.objects.filter(pk=person.pk).update(given_name="x")
    assert reloaded(person).given_name == "Аляксандра"


def test_filter_by_a_plaintext_value_is_refused(two_persons):
    with pytest.raises(TypeError, match="blind index"):
        list(Person.objects.filter(given_name="Аляксандра"))


def test_bulk_update_with_plaintext_values_is_refused(two_persons):
    person, _other = two_persons
    person.given_name = "x"
    with pytest.raises(TypeError, match="encrypted_update"), transaction.atomic():
        Person.objects.bulk_update([person], ["given_name"])
    assert reloaded(person).given_name == "Аляксандра"


def test_encrypted_update_encrypts_each_value_for_its_own_row(two_persons):
    first, second = two_persons
    first.given_name, second.given_name = "Алесь", "Ales"
    first.family_name = "Бяляцкі"

    assert encrypted_update([first, second], ["given_name", "family_name"]) == 2

    assert (reloaded(first).given_name, reloaded(first).family_name) == ("Алесь", "Бяляцкі")
    assert (reloaded(second).given_name, reloaded(second).family_name) == ("Ales", "Marozau")
    store_bytes(Person, "given_name", first.pk, stored_bytes(Person, "given_name", second.pk))
    with pytest.raises(DecryptionError):
        _ = reloaded(first).given_name
