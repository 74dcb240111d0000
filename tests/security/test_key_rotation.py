"""Key rotation while the application serves.

The rotation re-encrypts in batches while another thread keeps reading (decrypting) and writing
(creating persons and renaming them). Afterwards the raw-SQL inventory finds no ciphertext under
the old key in any encrypted column of any model, every row decrypts, and every concurrent write
survived with its latest value.
"""

from __future__ import annotations

import datetime
import random
import threading
import time
import uuid

import pytest
from django.db import connection

from asylon.accounts.models import Organisation
from asylon.cases.models import Case, Note
from asylon.common.crypto import rotation
from asylon.common.crypto.inventory import ciphertext_inventory, ciphertexts_per_key, encrypted_columns
from asylon.common.crypto.keyring import key_id_of, keyring
from asylon.people.models import ConsentPurpose, ConsentRecord, Person
from tests.security.raw_sql import stored_bytes

PERSONS = 300
BATCH_SIZE = 25
SWEEP_PAUSE_SECONDS = 0.03  # per batch, so that the concurrent writes interleave with the sweep
MIN_CONCURRENT_WRITES = 10


class ServingClient(threading.Thread):
    """Reads and writes persons until stopped, as servers do while a rotation runs."""

    def __init__(self, organisation_id: uuid.UUID, names: dict[uuid.UUID, str]) -> None:
        super().__init__(daemon=True)
        self.organisation_id = organisation_id
        self.expected_names = dict(names)
        self.writes = 0
        self.reads = 0
        self.errors: list[BaseException] = []
        self.stopping = threading.Event()
        self.random = random.Random(20240517)

    def run(self) -> None:
        try:
            round_number = 0
            while not self.stopping.is_set():
                round_number += 1
                self.create(f"Новы{round_number}")
                self.rename(self.random.choice(list(self.expected_names)), f"Абноўлены{round_number}")
                for pk in self.random.sample(list(self.expected_names), 3):
                    self.read(pk)
        except BaseException as error:  # reported by the test, which cannot see this thread's exceptions
            self.errors.append(error)
        finally:
            connection.close()

    def create(self, given_name: str) -> None:
        person = Person(organisation_id=self.organisation_id, given_name=given_name, family_name="Пісьменнік")
        person.save()
        self.expected_names[person.pk] = given_name
        self.writes += 1

    def rename(self, pk: uuid.UUID, given_name: str) -> None:
        person = Person.objects.get(pk=pk)
        person.given_name = given_name
        person.save()
        self.expected_names[pk] = given_name
        self.writes += 1

    def read(self, pk: uuid.UUID) -> None:
        person = Person.objects.get(pk=pk)
        assert person.given_name == self.expected_names[pk]
        assert person.family_name is not None
        self.reads += 1

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=30)


class WritesDuringSweep:
    """Sweep progress that notes how many concurrent writes happened while batches were swept."""

    def __init__(self, client: ServingClient) -> None:
        self.client = client
        self.writes_at_first_batch: int | None = None
        self.writes_at_last_batch = 0

    def sweep_started(self, *, sweep: int, label: str, rows: int) -> None:
        """Nothing to note when a model's sweep starts."""

    def rows_swept(self, *, label: str, rows: int) -> None:
        if self.writes_at_first_batch is None:
            self.writes_at_first_batch = self.client.writes
        self.writes_at_last_batch = self.client.writes
        time.sleep(SWEEP_PAUSE_SECONDS)


def records_in_every_kind(organisation: Organisation) -> dict[uuid.UUID, str]:
    """Some hundreds of persons, plus a case, a note and a consent, all with encrypted fields."""
    persons = [
        Person(
            organisation=organisation,
            given_name=f"Імя{number}",
            family_name="Прозвішча",
            contacts={"email": f"person{number}@example.org"},
            birth_date=datetime.date(1990, 1, 1) + datetime.timedelta(days=number),
        )
        for number in range(PERSONS)
    ]
    Person.objects.bulk_create(persons)
    case = Case(organisation=organisation, reference="ROT-1", opened_on=datetime.date(2024, 2, 1), summary="Справа")
    case.save()
    Note(organisation=organisation, case=case, body="Нататка").save()
    ConsentRecord(
        organisation=organisation,
        person=persons[0],
        purpose=ConsentPurpose.CASEWORK,
        given_on=datetime.date(2024, 2, 1),
        note="Згода",
    ).save()
    return {person.pk: person.given_name for person in persons}


def assert_every_row_decrypts() -> None:
    for column in encrypted_columns():
        for instance in column.model._base_manager.all():
            getattr(instance, column.field.name)


@pytest.mark.django_db(transaction=True)
def test_rotation_while_serving_leaves_nothing_under_the_old_key_and_loses_no_write(isolated_keys):
    organisation = Organisation.objects.create(name="Rotation Test Centre", slug="rotation-test")
    names = records_in_every_kind(organisation)
    old_key_id = keyring().primary_key_id
    assert ciphertexts_per_key(ciphertext_inventory())[old_key_id] >= PERSONS * 4

    client = ServingClient(organisation.pk, names)
    client.start()
    try:
        while client.writes < 5 and client.is_alive():
            time.sleep(0.01)
        # This process has loaded the new key already; PROPAGATION_SECONDS is for other processes.
        addition = rotation.field_key_add(ring=keyring())
        progress = WritesDuringSweep(client)
        report = rotation.reencrypt_all(batch_size=BATCH_SIZE, progress=progress)
    finally:
        client.stop()

    assert client.errors == []
    assert not client.is_alive()
    assert addition.previous_key_id == old_key_id
    assert report.complete and report.unreadable == set()
    assert progress.writes_at_first_batch is not None
    assert progress.writes_at_last_batch - progress.writes_at_first_batch >= MIN_CONCURRENT_WRITES
    inventories = ciphertext_inventory()
    assert all(old_key_id not in inventory.ciphertexts_by_key for inventory in inventories)
    assert all(inventory.unrecognised == 0 for inventory in inventories)
    assert set(ciphertexts_per_key(inventories)) == {addition.key_id}
    assert_every_row_decrypts()
    stored_names = dict(Person.objects.values_list("pk", "given_name"))
    assert len(stored_names) == len(client.expected_names)
    for pk, expected in client.expected_names.items():
        assert Person.objects.get(pk=pk).given_name == expected


@pytest.mark.django_db
def test_a_row_loaded_before_the_rotation_and_saved_after_it_is_written_under_the_new_key(isolated_keys):
    organisation = Organisation.objects.create(name="Rotation Test Centre", slug="rotation-test")
    person = Person(organisation=organisation, given_name="Мікола", family_name="Статкевіч")
    person.save()
    loaded_before = Person.objects.get(pk=person.pk)

    addition = rotation.field_key_add(ring=keyring())
    rotation.reencrypt_all()
    loaded_before.given_name = "Mikola"
    loaded_before.save()

    assert key_id_of(stored_bytes(Person, "family_name", person.pk)) == addition.key_id
    assert key_id_of(stored_bytes(Person, "given_name", person.pk)) == addition.key_id
    assert Person.objects.get(pk=person.pk).family_name == "Статкевіч"


@pytest.mark.django_db
@pytest.mark.parametrize("concurrent_write", ["rename", "delete"])
def test_a_write_between_the_sweeps_read_and_its_swap_is_kept(isolated_keys, monkeypatch, concurrent_write):
    organisation = Organisation.objects.create(name="Rotation Test Centre", slug="rotation-test")
    persons = [Person(organisation=organisation, given_name=f"Імя{n}", family_name="Прозвішча") for n in range(3)]
    Person.objects.bulk_create(persons)
    target = persons[1]
    addition = rotation.field_key_add(ring=keyring())
    reseal_row = rotation._reseal_row

    def reseal_row_then_write_concurrently(model, fields, pk, values, primary_key_id, report):
        change = reseal_row(model, fields, pk, values, primary_key_id, report)
        if pk == target.pk and report.missed_swaps == 0:
            if concurrent_write == "rename":
                concurrent = Person.objects.get(pk=pk)
                concurrent.given_name = "Зменены"
                concurrent.save(update_fields=["given_name"])
            else:
                Person.objects.filter(pk=pk).delete()
        return change

    monkeypatch.setattr(rotation, "_reseal_row", reseal_row_then_write_concurrently)
    report = rotation.reencrypt_all()

    assert report.missed_swaps == 1
    assert report.complete
    assert set(ciphertexts_per_key(ciphertext_inventory())) == {addition.key_id}
    if concurrent_write == "rename":
        kept = Person.objects.get(pk=target.pk)
        assert (kept.given_name, kept.family_name) == ("Зменены", "Прозвішча")
    else:
        assert not Person.objects.filter(pk=target.pk).exists()
    assert Person.objects.count() == (3 if concurrent_write == "rename" else 2)
