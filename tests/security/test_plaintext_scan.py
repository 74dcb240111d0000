"""The plaintext scan: what an adversary who seizes the server finds of the encrypted values.

Records are written through the services (persons with Cyrillic and Latin names, contacts,
identifiers, a case, events, a decision, notes, consents, a document), a huey task runs from a
real SqliteHuey store, and logging is at DEBUG. Then every artefact is read as bytes: the SQLite
database and its write-ahead log (or a pg_dump on PostgreSQL), the huey store, the logs written
meanwhile and the media files. A canary planted through the same path proves that each artefact
is read where it is and is not empty; then no encrypted value, and no word of one that the code
does not contain itself, may occur in any of them.
"""

from __future__ import annotations

import datetime
import logging
import os
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from huey import SqliteHuey

from asylon.accounts.models import Role
from asylon.accounts.services import organisation_create, staff_user_create
from asylon.cases.services.case import case_member_add, case_open
from asylon.cases.services.decisions import decision_record
from asylon.cases.services.events import event_record
from asylon.cases.services.notes import note_add
from asylon.cases.tasks import deadlines_recompute_for_rule
from asylon.evidence.services import document_store
from asylon.intake.services.submissions import public_message_add, submission_create
from asylon.intake.services.triage import reply_send
from asylon.people.services import consent_record, person_create
from asylon.vocab.loading import load_reference_data
from asylon.vocab.models import LegalRule
from tests.security.plaintext_scan import Artefact, Needle, needles_for_date, needles_for_text, scan

PG_DUMP = "/usr/bin/pg_dump"

PERSONS = [
    {
        "given_name": "Уладзіслаў",
        "family_name": "Кавалёнак",
        "patronymic": "Міхайлавіч",
        "name_variants": ["Uladzislau Kavalionak", "Владислав Коваленок"],
        "birth_date": datetime.date(1991, 6, 23),
        "contacts": {"phone": "+37067712345", "telegram": "@kavalionak_uladz"},
        "identifiers": [{"kind": "passport", "number": "KH3145926"}],
        "addresses": [{"city": "Šiauliai", "street": "Tilžės gatvė 58-12"}],
        "religion": "Грэка-каталіцкая царква",
        "biography": "Служыў тэрміновую службу ў Барысаве, пасля адмовіўся ад мабілізацыі.",
        "host_country_history": "Перасёк мяжу праз Друскінінкай, двойчы ездзіў да маці ў Маладзечна.",
        "citizenship": "BY",
    },
    {
        "given_name": "Yauheniya",
        "family_name": "Dziamidchyk",
        "name_variants": ["Евгения Демидчик", "Яўгенія Дзямідчык"],
        "birth_date": datetime.date(1987, 11, 5),
        "contacts": {"email": "yauheniya.dziamidchyk@tutanota.com"},
        "identifiers": [{"kind": "residence_permit", "number": "LTRP88231907"}],
        "biography": "Coordinated Zhodzina factory strikers; interrogated twice by Belarusian investigators.",
        "citizenship": "BY",
    },
    {
        "given_name": "Богдан",
        "family_name": "Гнатюк",
        "patronymic": "Остапович",
        "birth_date": datetime.date(1996, 2, 29),
        "contacts": {"signal": "+380931234567"},
        "religion": "Свідки Єгови",
        "biography": "Відмовився брати зброю в руки через переконання; повістка з Тернополя.",
        "citizenship": "UA",
    },
]
CASE_SUMMARY = "Адмова ў дазволе на жыхарства; пагроза экстрадыцыі ў Беларусь."
EVENTS = [
    {
        "event_type": "summons_issued",
        "occurred_on": datetime.date(2023, 2, 14),
        "description": "Павестку ўручылі бацьку ў Маладзечне, ваенкамат патрабаваў з'явіцца.",
    },
    {
        "event_type": "criminal_case_opened",
        "occurred_on": datetime.date(2023, 9, 19),
        "description": "Vozbuzhdeno ugolovnoe delo po stat'e 435 za uklonenie ot prizyva.",
    },
]
DECISION = {"decided_on": datetime.date(2024, 4, 8), "served_on": datetime.date(2024, 4, 11)}
DECISION_REFERENCE = "MD-5-77121/24"
NOTES = ["Кліент баіцца званіць маці: тэлефон праслухоўваюць.", "Стратэгія: спасылацца на рашэнне ЕСПЧ Баятан."]
CONSENT_NOTE = "Згода атрымана вусна ў офісе ў Вільні, сведка Рымша."
DOCUMENT = {
    "filename": "позва_Кавалёнак.txt",
    "description": "Сканаваная позва з ваенкамата Маладзечна",
    "data": "Позва. Грамадзяніну Кавалёнку У.М. з'явіцца ў ваенкамат 20.02.2023.".encode(),
}

# A help-form submission (asylon/intake): what the person typed, a message, a file, a staff reply, and the codename.
INTAKE = {
    "name": "Зміцер Пазнякоўскі",
    "contact": "Signal: +37069911842, пытаць Алесю",
    "text": "Мяне выклікалі ў Дэпартамент міграцыі; баюся дэпартацыі ў Мінск.",
}
INTAKE_MESSAGE = "Рашэнне прынеслі ў інтэрнат на вуліцы Калварыйскай."
INTAKE_FILE = {"name": "рашэнне_Пазнякоўскі.txt", "data": "Рашэнне № 7741 аб адмове Пазнякоўскаму.".encode()}
INTAKE_REPLY = "Пазнякоўскі, прыходзьце ў аўторак з пашпартам."
ISSUED_CODENAMES: list[str] = []  # filled when the records are written; needles in the scan that follows


def secret_needles() -> set[Needle]:
    """Needles for what the test writes into encrypted fields and the document, but the served date (see below)."""
    texts: list[str] = [CASE_SUMMARY, DECISION_REFERENCE, *NOTES, CONSENT_NOTE, DOCUMENT["filename"]]
    texts += [DOCUMENT["description"], DOCUMENT["data"].decode()]
    texts += [event["description"] for event in EVENTS]
    texts += [*INTAKE.values(), INTAKE_MESSAGE, INTAKE_FILE["name"], INTAKE_FILE["data"].decode(), INTAKE_REPLY]
    texts += ISSUED_CODENAMES
    dates = [event["occurred_on"] for event in EVENTS] + [DECISION["decided_on"]]
    for person in PERSONS:
        for name, value in person.items():
            if name == "citizenship":
                continue  # a clear field
            if isinstance(value, datetime.date):
                dates.append(value)
            else:
                texts.extend(string_leaves(value))
    needles = {needle for text in texts for needle in needles_for_text(text)}
    return needles | {needle for date in dates for needle in needles_for_date(date)}


def string_leaves(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in string_leaves(item)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in string_leaves(item)]
    return []


def canary(where: str) -> str:
    return f"canary-{where}-{uuid.uuid4().hex}"


def files_under(directory: Path) -> dict[Path, int]:
    return {path: path.stat().st_size for path in directory.rglob("*") if path.is_file()}


def bytes_of(directory: Path, since: dict[Path, int] | None = None) -> bytes:
    """All files under a directory, concatenated; with `since`, only what was appended after those sizes."""
    return b"".join(path.read_bytes()[(since or {}).get(path, 0) :] for path in sorted(files_under(directory)))


def record_casework(canary_region: str) -> dict[str, Any]:
    """A realistic set of records through the services; returns the objects the rest of the test needs."""
    organisation = organisation_create(actor=None, name="Scan Test Rights Centre", slug="scan-test")
    admin, _password = staff_user_create(
        actor=None, organisation=organisation, email="scan-admin@example.org", role=Role.ORG_ADMIN
    )
    caseworker, _password = staff_user_create(
        actor=None, organisation=organisation, email="scan-caseworker@example.org", role=Role.CASEWORKER
    )
    lawyer, _password = staff_user_create(
        actor=None, organisation=organisation, email="scan-lawyer@example.org", role=Role.LAWYER
    )
    case = case_open(actor=caseworker, organisation=organisation, summary=CASE_SUMMARY, risk="high")
    case_member_add(actor=admin, case=case, user=lawyer)
    persons = [person_create(actor=caseworker, case=case, **fields) for fields in PERSONS]
    person_create(actor=caseworker, case=case, given_name="Канарэйка", region=canary_region)
    events = [
        event_record(actor=caseworker, case=case, person=persons[0], date_precision="day", country="BY", **event)
        for event in EVENTS
    ]
    decision_record(
        actor=caseworker,
        case=case,
        decision_type="residence_permit_temporary",
        decision_maker="migration_department",
        outcome="refuse",
        grounds=["national_security_threat_unspecified", "past_compulsory_military_service"],
        reference_number=DECISION_REFERENCE,
        **DECISION,
    )
    note_add(actor=caseworker, case=case, body=NOTES[0])
    note_add(actor=lawyer, case=case, body=NOTES[1], privileged=True)
    consent_record(
        actor=caseworker, person=persons[0], purpose="casework", given_on=datetime.date(2024, 1, 9), note=CONSENT_NOTE
    )
    consent_record(actor=caseworker, person=persons[1], purpose="statistics", given_on=datetime.date(2024, 1, 9))
    document_store(
        actor=caseworker, case=case, person=persons[0], event=events[0], content_type="text/plain", **DOCUMENT
    )
    upload = SimpleUploadedFile(INTAKE_FILE["name"], INTAKE_FILE["data"], content_type="text/plain")
    submission, codename = submission_create(
        organisation=organisation,
        language="be",
        situations=["summons_issued"],
        deadline_on=None,
        files=[upload],
        **INTAKE,
    )
    ISSUED_CODENAMES.append(codename)
    public_message_add(submission=submission, body=INTAKE_MESSAGE, files=[])
    reply_send(actor=caseworker, submission=submission, body=INTAKE_REPLY)
    return {"case": case, "caseworker": caseworker}


def run_task_through_a_sqlite_huey_store(store_path: Path, canary_argument: str) -> int:
    """Enqueue the deadline task in a SqliteHuey file, execute it from there; leave a canary task queued."""
    store = SqliteHuey("asylon-scan", filename=str(store_path))
    store.flush()  # an earlier test's canary task must not be first in the queue
    task = store.task(name="deadlines_recompute_for_rule")(deadlines_recompute_for_rule.func)
    rule = LegalRule.objects.get(
        jurisdiction="LT", decision_type__code="residence_permit_temporary", organisation=None, deadline_kind="appeal"
    )
    task(str(rule.pk))
    task(canary_argument)
    queued = store.dequeue()
    assert queued.args == (str(rule.pk),)
    return store.execute(queued)


def pg_dump_of_the_test_database() -> bytes:
    url = urlsplit(os.environ["ASYLON_TEST_DATABASE_URL"])._replace(path="/" + connection.settings_dict["NAME"])
    return subprocess.run([PG_DUMP, "--no-owner", urlunsplit(url)], capture_output=True, check=True).stdout


@pytest.fixture
def reference_data(transactional_db):
    """Vocabularies and legal rules: their migration's rows are gone once an earlier transactional test flushed."""
    load_reference_data()


@dataclass(frozen=True)
class Seizure:
    artefacts: list[Artefact]
    canaries_missing: list[str]


def seize_the_instance() -> Seizure:
    """Write the records and run the task, plant a canary in each artefact, then read every artefact."""
    data_dir = Path(settings.DATA_DIR)
    logs_dir = data_dir / "logs"
    logs_before = files_under(logs_dir)
    canaries = {name: canary(name) for name in ("database", "wal", "huey", "logs", "media")}
    if connection.vendor == "sqlite":
        # Earlier tests' rolled-back transactions leave their spilled pages in the WAL (their own
        # synthetic values, never committed): start from an empty log so only this instance is read.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            assert cursor.fetchone()[0] == 0

    records = record_casework(canary_region=canaries["database"])
    default_storage.save("canary.txt", ContentFile(canaries["media"].encode()))
    assert run_task_through_a_sqlite_huey_store(data_dir / "huey.sqlite3", canaries["huey"]) == 1
    logging.getLogger("asylon.tests.plaintext_scan").debug("log canary %s", canaries["logs"])

    contents = {
        "huey store": b"".join(path.read_bytes() for path in sorted(data_dir.glob("huey.sqlite3*"))),
        "logs": bytes_of(logs_dir, since=logs_before),
        "media": bytes_of(Path(settings.MEDIA_ROOT)),
    }
    expected_canaries = {"huey store": "huey", "logs": "logs", "media": "media"}
    if connection.vendor == "sqlite":
        database = Path(connection.settings_dict["NAME"])
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(FULL)")  # everything so far into the database file
            assert cursor.fetchone()[0] == 0
        # Written after the checkpoint, this canary is in the WAL only; the connection stays open,
        # since closing the last one would checkpoint and delete the WAL before it is read.
        person_create(actor=records["caseworker"], case=records["case"], given_name="Канарэйка", region=canaries["wal"])
        contents["SQLite database"] = database.read_bytes()
        contents["SQLite write-ahead log"] = Path(f"{database}-wal").read_bytes()
        expected_canaries |= {"SQLite database": "database", "SQLite write-ahead log": "wal"}
    else:
        contents["pg_dump"] = pg_dump_of_the_test_database()
        expected_canaries["pg_dump"] = "database"

    return Seizure(
        artefacts=[Artefact(name, content) for name, content in contents.items()],
        canaries_missing=[
            artefact
            for artefact, name in expected_canaries.items()
            if canaries[name].encode() not in contents[artefact]
        ],
    )


def assert_nothing_found(seizure: Seizure, needles: set[Needle]) -> None:
    assert seizure.canaries_missing == [], "the scan does not see these artefacts"
    findings = scan(seizure.artefacts, needles)
    assert not findings, "plaintext of encrypted values found:\n" + "\n".join(
        f"  {finding.artefact}: {finding.needle}" for finding in findings
    )


@pytest.mark.django_db(transaction=True)
def test_no_encrypted_value_appears_in_any_artefact_of_the_instance(reference_data):
    assert_nothing_found(seize_the_instance(), secret_needles())


@pytest.mark.django_db(transaction=True)
def test_the_served_date_of_a_decision_appears_in_no_artefact(reference_data):
    assert_nothing_found(seize_the_instance(), needles_for_date(DECISION["served_on"]))
