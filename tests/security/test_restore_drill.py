"""Restore drill: back up an instance, restore it where the old keys never were, and compare.

Records are written through the services (persons with encrypted fields, a case, an event, a
decision, a document whose encrypted file lands in media/). `asylon backup` and `asylon restore`
run as an operator runs them: subprocesses under production settings. The restore goes into a
fresh, empty data directory (and, on PostgreSQL, a fresh database created for the test); a third
process on the restored instance decrypts sample rows and the document and counts every table.
Then the refusals: a wrong identity, a flipped byte, a truncated file, a non-empty target.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.db import connection
from pyrage import x25519

from asylon.accounts.models import Role
from asylon.accounts.services import organisation_create, staff_user_create
from asylon.cases.services import case_open, decision_record, event_record
from asylon.common.crypto.keyring import reset_keyring
from asylon.evidence.services import document_store
from asylon.ops.backup import archive
from asylon.ops.backup.create import BackupRefused, check_recipients
from asylon.ops.backup.snapshot import database_contents
from asylon.people.services import person_create
from asylon.vocab.loading import load_reference_data

pytestmark = pytest.mark.django_db(transaction=True)

REPOSITORY = Path(__file__).resolve().parents[2]
CLEARED = ("ASYLON_DEMO", "ASYLON_INSECURE_LOCALHOST", "ASYLON_DATABASE_URL", "ASYLON_SECRET_KEY")
CLEARED += ("ASYLON_MASTER_KEY_FILE", "ASYLON_REDIS_URL", "ASYLON_DATA_DIR", "DJANGO_DEBUG")
PERSONS = [
    {
        "given_name": "Уладзіслаў",
        "family_name": "Кавалёнак",
        "birth_date": datetime.date(1991, 6, 23),
        "contacts": {"telegram": "@kavalionak_uladz"},
        "biography": "Адмовіўся ад мабілізацыі.",
        "citizenship": "BY",
    },
    {"given_name": "Богдан", "family_name": "Гнатюк", "birth_date": datetime.date(1996, 2, 29), "citizenship": "UA"},
]
EVENT_DESCRIPTION = "Павестку ўручылі бацьку ў Маладзечне."
DECISION_REFERENCE = "MD-5-77121/24"
DOCUMENT = "Позва. З'явіцца ў ваенкамат 20.02.2023.".encode() * 50

# Runs on the restored instance: decrypted sample values, the document's bytes, rows per table.
READ_RESTORED = """
import hashlib, json, django
django.setup()
from asylon.cases.models import Decision, Event
from asylon.evidence.models import Document
from asylon.evidence.storage import blob_read
from asylon.ops.backup.snapshot import database_contents
from asylon.people.models import Person
persons = {
    str(p.pk): [p.given_name, p.family_name, p.birth_date.isoformat(), p.contacts, p.biography]
    for p in Person.objects.all()
}
document = Document.objects.get()
content = blob_read(document)
print(json.dumps({
    "persons": persons,
    "events": [e.description for e in Event.objects.all()],
    "decisions": [d.reference_number for d in Decision.objects.all()],
    "document": {"sha256": hashlib.sha256(content).hexdigest(), "recorded": document.sha256, "size": len(content)},
    "tables": database_contents().tables,
    "last_audit_action": __import__("asylon.audit.models", fromlist=["AuditEntry"]).AuditEntry.objects.order_by(
        "-created_at"
    ).values_list("action", flat=True).first(),
}))
"""


def identity_file(directory: Path, name: str) -> tuple[Path, str]:
    """A fresh age identity written to a file (0600); returns the file and the public key."""
    identity = x25519.Identity.generate()
    path = directory / f"{name}.agekey"
    path.write_text(f"# {name}\n{identity}\n", encoding="utf-8")
    path.chmod(0o600)
    return path, str(identity.to_public())


def database_url() -> str:
    """The URL of the test database, for processes outside pytest."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    credentials = quote(settings["USER"] or "") + (f":{quote(settings['PASSWORD'])}" if settings["PASSWORD"] else "")
    return f"postgresql://{credentials}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"


def production_environment(data_dir: Path, database: str | None, secret_key: bool) -> dict[str, str]:
    environment = {name: value for name, value in os.environ.items() if name not in CLEARED}
    environment.update(
        DJANGO_SETTINGS_MODULE="asylon.config.settings.production",
        ASYLON_DATA_DIR=str(data_dir),
        ASYLON_MASTER_KEY=os.environ["ASYLON_MASTER_KEY"],  # the master key travels apart, from custody
    )
    if database:
        environment["ASYLON_DATABASE_URL"] = database
    if secret_key:
        environment["ASYLON_SECRET_KEY"] = secrets.token_urlsafe(64)
    return environment


def asylon(arguments: list[str], environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "asylon.cli", *arguments],
        env=environment,
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def source(settings, tmp_path):
    """The backed-up instance: the test database, a copy of the test keysets, its own media directory."""
    data_dir = tmp_path / "source"
    shutil.copytree(settings.ASYLON_KEYS_DIR, data_dir / "keys")
    (data_dir / "media").mkdir()
    (data_dir / "backups" / "checkpoints").mkdir(parents=True)
    (data_dir / "backups" / "checkpoints" / "checkpoint-1.json").write_text('{"sequence": 1}', encoding="utf-8")
    settings.DATA_DIR = data_dir
    settings.ASYLON_KEYS_DIR = data_dir / "keys"
    settings.MEDIA_ROOT = data_dir / "media"
    reset_keyring()
    load_reference_data()
    yield data_dir
    reset_keyring()


@pytest.fixture
def casework(source):
    """Records written through the services; returns what the restored instance must show again."""
    organisation = organisation_create(actor=None, name="Drill Rights Centre", slug="drill")
    caseworker, _password = staff_user_create(
        actor=None, organisation=organisation, email="drill@example.org", role=Role.CASEWORKER
    )
    case = case_open(actor=caseworker, organisation=organisation, summary="Пагроза экстрадыцыі.", risk="high")
    persons = [person_create(actor=caseworker, case=case, **fields) for fields in PERSONS]
    event = event_record(
        actor=caseworker,
        case=case,
        person=persons[0],
        event_type="summons_issued",
        occurred_on=datetime.date(2023, 2, 14),
        date_precision="day",
        country="BY",
        description=EVENT_DESCRIPTION,
    )
    decision_record(
        actor=caseworker,
        case=case,
        decision_type="residence_permit_temporary",
        decision_maker="migration_department",
        outcome="refuse",
        grounds=["national_security_threat_unspecified"],
        decided_on=datetime.date(2024, 4, 8),
        served_on=datetime.date(2024, 4, 11),
        reference_number=DECISION_REFERENCE,
    )
    document_store(
        actor=caseworker,
        case=case,
        person=persons[0],
        event=event,
        data=DOCUMENT,
        filename="pozva.txt",
        content_type="text/plain",
    )
    return {
        str(person.pk): [
            fields["given_name"],
            fields["family_name"],
            fields["birth_date"].isoformat(),
            fields.get("contacts"),
            fields.get("biography"),
        ]
        for person, fields in zip(persons, PERSONS, strict=True)
    }


@pytest.fixture
def keys(tmp_path):
    """Two data recipients and a separate key-custody recipient."""
    directory = tmp_path / "identities"
    directory.mkdir()
    return {name: identity_file(directory, name) for name in ("office", "offsite", "custody")}


@pytest.fixture
def restore_database():
    """Where the restore writes: SQLite, the new data directory's default file; PostgreSQL, a new empty database."""
    if connection.vendor == "sqlite":
        yield None
        return
    name = f"drill_{uuid.uuid4().hex[:12]}"
    settings = connection.settings_dict
    server = {"host": settings["HOST"] or "127.0.0.1", "port": settings["PORT"] or 5432, "user": settings["USER"]}
    if settings["PASSWORD"]:
        server["password"] = settings["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield database_url().rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def backup_file(source, keys, tmp_path):
    """`asylon backup` of the source instance to two data recipients, keysets to the custody recipient."""
    output = tmp_path / "asylon.backup.age"
    result = asylon(
        [
            "backup",
            "--recipient",
            keys["office"][1],
            "--recipient",
            keys["offsite"][1],
            "--keys-recipient",
            keys["custody"][1],
            "--output",
            str(output),
        ],
        production_environment(source, database_url(), secret_key=True),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Backup written to" in result.stdout
    return output


def restore(backup: Path, target: Path, database: str | None, *options: str) -> subprocess.CompletedProcess[str]:
    return asylon(["restore", str(backup), *options], production_environment(target, database, secret_key=False))


def data_written(target: Path) -> list[str]:
    """What a restore left in the target beyond the empty layout, its secret key, logs and the task queue."""
    layout = {"keys/django-secret-key", "huey.sqlite3", "huey.sqlite3-wal", "huey.sqlite3-shm"}
    return sorted(
        path.relative_to(target).as_posix()
        for path in target.rglob("*")
        if path.is_file() and path.relative_to(target).as_posix() not in layout and "logs" not in path.parts
    )


def test_drill_restores_every_table_and_the_same_decrypted_values(
    casework, backup_file, keys, restore_database, tmp_path
):
    # `backup.create` was appended after the snapshot and `backup.restore` is appended to the copy: one each.
    source_tables = database_contents().tables
    target = tmp_path / "restored"

    result = restore(
        backup_file,
        target,
        restore_database,
        "--identity",
        str(keys["offsite"][0]),
        "--keys-identity",
        str(keys["custody"][0]),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "every member matched its SHA-256" in result.stdout
    assert "Migrations check: the database is at this version's migration state." in result.stdout
    read = subprocess.run(
        [sys.executable, "-c", READ_RESTORED],
        env=production_environment(target, restore_database, secret_key=False),
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    restored = json.loads(read.stdout.strip().splitlines()[-1])
    assert restored["persons"] == casework
    assert restored["events"] == [EVENT_DESCRIPTION]
    assert restored["decisions"] == [DECISION_REFERENCE]
    assert restored["document"] == {
        "sha256": hashlib.sha256(DOCUMENT).hexdigest(),
        "recorded": hashlib.sha256(DOCUMENT).hexdigest(),
        "size": len(DOCUMENT),
    }
    assert restored["tables"] == source_tables
    assert restored["last_audit_action"] == "backup.restore"
    assert (target / "backups" / "checkpoints" / "checkpoint-1.json").read_text(encoding="utf-8") == '{"sequence": 1}'
    assert sorted(path.name for path in (target / "media" / "documents").iterdir()) == sorted(
        path.name for path in (tmp_path / "source" / "media" / "documents").iterdir()
    )
    assert (target / "keys" / "field.keyset.json").stat().st_mode & 0o077 == 0


def test_a_wrong_identity_is_refused_and_nothing_is_written(backup_file, keys, restore_database, tmp_path):
    target = tmp_path / "restored"

    result = restore(backup_file, target, restore_database, "--identity", str(keys["custody"][0]))

    assert result.returncode != 0
    assert "None of the identities given opens" in result.stderr
    assert data_written(target) == []


def test_the_data_identity_does_not_open_the_keysets(backup_file, keys, restore_database, tmp_path):
    target = tmp_path / "restored"

    result = restore(
        backup_file,
        target,
        restore_database,
        "--identity",
        str(keys["office"][0]),
        "--keys-identity",
        str(keys["office"][0]),
    )

    assert result.returncode != 0
    assert "The --keys-identity does not open the backup's keysets" in result.stderr
    assert data_written(target) == []


@pytest.mark.parametrize("where", ["header", "middle", "last byte"])
def test_a_flipped_byte_is_refused_and_nothing_is_written(backup_file, keys, restore_database, tmp_path, where):
    content = bytearray(backup_file.read_bytes())
    position = {"header": 60, "middle": len(content) // 2, "last byte": len(content) - 1}[where]
    content[position] ^= 0x01
    damaged = tmp_path / "damaged.age"
    damaged.write_bytes(bytes(content))
    target = tmp_path / "restored"

    result = restore(damaged, target, restore_database, "--identity", str(keys["office"][0]))

    assert result.returncode != 0
    assert "damaged" in result.stderr
    assert data_written(target) == []


def test_a_truncated_file_is_refused_and_nothing_is_written(backup_file, keys, restore_database, tmp_path):
    truncated = tmp_path / "truncated.age"
    truncated.write_bytes(backup_file.read_bytes()[:-4096])
    target = tmp_path / "restored"

    result = restore(truncated, target, restore_database, "--identity", str(keys["office"][0]))

    assert result.returncode != 0
    assert "is damaged or truncated" in result.stderr
    assert data_written(target) == []


def test_a_target_holding_data_is_refused(backup_file, keys, restore_database, tmp_path):
    target = tmp_path / "restored"
    (target / "media" / "documents").mkdir(parents=True)
    (target / "media" / "documents" / "earlier").write_bytes(b"an earlier instance's file")

    result = restore(backup_file, target, restore_database, "--identity", str(keys["office"][0]))

    assert result.returncode != 0
    assert f"The data directory {target} is not empty" in result.stderr
    assert data_written(target) == ["media/documents/earlier"]


@pytest.mark.sqlite_only
def test_an_existing_sqlite_database_file_is_refused(backup_file, keys, tmp_path):
    target = tmp_path / "restored"
    target.mkdir()
    (target / "asylon.sqlite3").write_bytes(b"SQLite format 3\x00" + bytes(100))

    result = restore(backup_file, target, None, "--identity", str(keys["office"][0]))

    assert result.returncode != 0
    assert "it holds the database (sqlite" in result.stderr


@pytest.mark.postgres_only
def test_a_postgresql_database_with_tables_is_refused(backup_file, keys, restore_database, tmp_path):
    with psycopg.connect(restore_database, autocommit=True) as target_database:
        target_database.execute("CREATE TABLE earlier (id integer)")

    result = restore(backup_file, tmp_path / "restored", restore_database, "--identity", str(keys["office"][0]))

    assert result.returncode != 0
    assert "it holds the database (postgresql" in result.stderr


def test_keys_are_never_sent_to_a_data_recipient_unless_asked(keys):
    office = keys["office"][1]

    with pytest.raises(BackupRefused, match="also a data --recipient"):
        check_recipients(
            recipients=[office],
            passphrase=None,
            keys_recipients=[office],
            without_keys=False,
            keys_to_data_recipients=False,
        )
    with pytest.raises(BackupRefused, match="Say where the keysets go"):
        check_recipients(
            recipients=[office], passphrase=None, keys_recipients=[], without_keys=False, keys_to_data_recipients=False
        )
    check_recipients(
        recipients=[office], passphrase=None, keys_recipients=[office], without_keys=False, keys_to_data_recipients=True
    )


def test_a_passphrase_backup_opens_only_with_its_passphrase(tmp_path):
    plain, sealed, opened = tmp_path / "plain.tar", tmp_path / "sealed.age", tmp_path / "opened.tar"
    plain.write_bytes(DOCUMENT)

    archive.seal(plain, sealed, recipients=[], passphrase="correct horse battery staple")

    with pytest.raises(archive.ArchiveError, match="encrypted with a passphrase"):
        archive.open_sealed(sealed, opened, identities=[x25519.Identity.generate()], passphrase=None)
    archive.open_sealed(sealed, opened, identities=[], passphrase="correct horse battery staple")
    assert opened.read_bytes() == DOCUMENT
    assert sealed.stat().st_mode & 0o777 == 0o600
