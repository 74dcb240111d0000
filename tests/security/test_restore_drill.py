"""Restore drill: back up an instance, restore it where the old keys never were, and compare.

Everything runs as an operator runs it, in subprocesses under production settings. A source
instance gets its own data directory and database (SQLite in its data directory; on PostgreSQL
a database created for the drill), its migrations, and records written through the services
(persons with encrypted fields, a case, an event, a decision, a document whose encrypted file
lands in media/, an audit checkpoint file). `asylon backup` encrypts it to two data recipients and
the keysets to a key-custody recipient. `asylon restore` goes into a fresh, empty data directory
(and a fresh database) that never held the keys; a last process on the restored instance decrypts
the sample rows and the document and counts every table. Then the refusals: a wrong identity, a
flipped byte, a truncated file, a non-empty target. Last, recovery after losing the server
(docs/keys.md): the same source backed up `--without-keys`, its keysets exported by `asylon keys
export` to two trustees, restored on a fresh data directory with one trustee's identity and the
master key only, through `asylon restore --keys-export` and by hand as `age -d | tar -x` would.
The test process never opens these databases.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import secrets
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import psycopg
import pyrage
import pytest
from django.conf import settings
from pyrage import x25519

from asylon.ops.backup import archive
from asylon.ops.backup.create import BackupRefused, check_recipients

REPOSITORY = Path(__file__).resolve().parents[2]
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
MASTER_KEY = secrets.token_urlsafe(48)
CLEARED = ("ASYLON_DEMO", "ASYLON_INSECURE_LOCALHOST", "ASYLON_DATABASE_URL", "ASYLON_SECRET_KEY", "ASYLON_MASTER_KEY")
CLEARED += (
    "ASYLON_MASTER_KEY_FILE",
    "ASYLON_REDIS_URL",
    "ASYLON_DATA_DIR",
    "DJANGO_DEBUG",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)
AUDIT_TABLE = "audit_auditentry"
DOCUMENT = "Позва. З'явіцца ў ваенкамат 20.02.2023.".encode() * 50
EVENT_DESCRIPTION = "Павестку ўручылі бацьку ў Маладзечне."
DECISION_REFERENCE = "MD-5-77121/24"
CHECKPOINT = '{"sequence": 1}'

# Runs on the source instance: records through the services; prints what the restore must show again.
WRITE_CASEWORK = f"""
import datetime, json, django
django.setup()
from django.conf import settings
from asylon.accounts.models import Role
from asylon.accounts.services import organisation_create, staff_user_create
from asylon.cases.services.case import case_open
from asylon.cases.services.decisions import decision_record
from asylon.cases.services.events import event_record
from asylon.evidence.services import document_store
from asylon.ops.backup.snapshot import database_contents
from asylon.people.services import person_create

PERSONS = [
    dict(given_name="Уладзіслаў", family_name="Кавалёнак", birth_date=datetime.date(1991, 6, 23),
         contacts={{"telegram": "@kavalionak_uladz"}}, biography="Адмовіўся ад мабілізацыі.", citizenship="BY"),
    dict(given_name="Богдан", family_name="Гнатюк", birth_date=datetime.date(1996, 2, 29), citizenship="UA"),
]
organisation = organisation_create(actor=None, name="Drill Rights Centre", slug="drill")
caseworker, _ = staff_user_create(
    actor=None, organisation=organisation, email="drill@example.org", role=Role.CASEWORKER
)
case = case_open(actor=caseworker, organisation=organisation, summary="Пагроза экстрадыцыі.", risk="high")
persons = [person_create(actor=caseworker, case=case, **fields) for fields in PERSONS]
event = event_record(actor=caseworker, case=case, person=persons[0], event_type="summons_issued",
    occurred_on=datetime.date(2023, 2, 14), date_precision="day", country="BY", description={EVENT_DESCRIPTION!r})
decision_record(actor=caseworker, case=case, decision_type="residence_permit_temporary",
    decision_maker="migration_department", outcome="refuse", grounds=["national_security_threat_unspecified"],
    decided_on=datetime.date(2024, 4, 8), served_on=datetime.date(2024, 4, 11), reference_number={DECISION_REFERENCE!r})
document_store(actor=caseworker, case=case, person=persons[0], event=event, data={DOCUMENT!r},
    filename="pozva.txt", content_type="text/plain")
checkpoints = settings.DATA_DIR / "backups" / "checkpoints"
checkpoints.mkdir(parents=True, exist_ok=True)
(checkpoints / "checkpoint-1.json").write_text({CHECKPOINT!r}, encoding="utf-8")
print(json.dumps({{
    "persons": {{
        str(person.pk): [fields["given_name"], fields["family_name"], fields["birth_date"].isoformat(),
                         fields.get("contacts"), fields.get("biography")]
        for person, fields in zip(persons, PERSONS)
    }},
    "tables": database_contents().tables,
}}))
"""

# Runs on the restored instance: decrypted sample values, the document's bytes, rows per table.
READ_RESTORED = """
import hashlib, json, django
django.setup()
from asylon.audit.models import AuditEntry
from asylon.cases.models import Decision, Event
from asylon.evidence.models import Document
from asylon.evidence.storage import blob_read
from asylon.ops.backup.snapshot import database_contents
from asylon.people.models import Person
document = Document.objects.get()
content = blob_read(document)
print(json.dumps({
    "persons": {
        str(p.pk): [p.given_name, p.family_name, p.birth_date.isoformat(), p.contacts, p.biography]
        for p in Person.objects.all()
    },
    "events": [e.description for e in Event.objects.all()],
    "decisions": [d.reference_number for d in Decision.objects.all()],
    "document": {"sha256": hashlib.sha256(content).hexdigest(), "recorded": document.sha256, "size": len(content)},
    "tables": database_contents().tables,
    "last_audit_action": AuditEntry.objects.order_by("-created_at").values_list("action", flat=True).first(),
}))
"""

LAST_AUDIT_ENTRY = """
import json, django
django.setup()
from asylon.audit.models import AuditEntry
entry = AuditEntry.objects.order_by("-created_at").first()
print(json.dumps({"action": entry.action, "actor": entry.actor_id, "details": entry.details}))
"""


def identity_file(directory: Path, name: str) -> tuple[Path, str]:
    """A fresh age identity written to a file (0600); returns the file and the public key."""
    identity = x25519.Identity.generate()
    path = directory / f"{name}.agekey"
    path.write_text(f"# {name}\n{identity}\n", encoding="utf-8")
    path.chmod(0o600)
    return path, str(identity.to_public())


def server() -> dict[str, str]:
    configured = settings.DATABASES["default"]
    parameters = {"host": configured["HOST"] or "127.0.0.1", "port": str(configured["PORT"] or 5432)}
    parameters["user"] = configured["USER"] or "postgres"
    if configured["PASSWORD"]:
        parameters["password"] = configured["PASSWORD"]
    return parameters


def postgresql_url(name: str) -> str:
    parameters = server()
    credentials = quote(parameters["user"]) + (f":{quote(parameters['password'])}" if "password" in parameters else "")
    return f"postgresql://{credentials}@{parameters['host']}:{parameters['port']}/{name}"


@pytest.fixture(scope="module")
def fresh_database() -> Iterator[object]:
    """Makes empty databases on the PostgreSQL server of the test run (and drops them); SQLite needs none."""
    created: list[str] = []

    def make() -> str | None:
        if not ON_POSTGRES:
            return None
        name = f"drill_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(dbname="postgres", autocommit=True, **server()) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        created.append(name)
        return postgresql_url(name)

    yield make
    if created:
        with psycopg.connect(dbname="postgres", autocommit=True, **server()) as admin:
            for name in created:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def production_environment(data_dir: Path, database: str | None) -> dict[str, str]:
    environment = {name: value for name, value in os.environ.items() if name not in CLEARED}
    environment.update(
        DJANGO_SETTINGS_MODULE="asylon.config.settings.production",
        ASYLON_DATA_DIR=str(data_dir),
        ASYLON_MASTER_KEY=MASTER_KEY,  # the master key travels apart, from its own custody
    )
    if database:
        environment["ASYLON_DATABASE_URL"] = database
    return environment


def run(arguments: list[str], environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *arguments], env=environment, cwd=REPOSITORY, capture_output=True, text=True, timeout=300
    )


def asylon(arguments: list[str], environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run(["-m", "asylon.cli", *arguments], environment)


def succeeded(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def last_json_line(result: subprocess.CompletedProcess[str]) -> dict:
    return json.loads(succeeded(result).stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def keys(tmp_path_factory) -> dict[str, tuple[Path, str]]:
    """Two data recipients and a separate key-custody recipient."""
    directory = tmp_path_factory.mktemp("identities")
    return {name: identity_file(directory, name) for name in ("office", "offsite", "custody")}


@pytest.fixture(scope="module")
def drill(tmp_path_factory, keys, fresh_database) -> dict:
    """A source instance with casework, and `asylon backup` of it; what the restore must show again."""
    directory = tmp_path_factory.mktemp("drill")
    source, database = directory / "source", fresh_database()
    environment = production_environment(source, database)
    succeeded(run(["-c", "from asylon.bootstrap import prepare_data_dir; prepare_data_dir()"], environment))
    succeeded(asylon(["migrate", "--no-input", "--verbosity", "0"], environment))
    expected = last_json_line(run(["-c", WRITE_CASEWORK], environment))
    output = directory / "asylon.backup.age"
    result = succeeded(
        asylon(
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
            environment,
        )
    )
    assert "Backup written to" in result.stdout
    audited = last_json_line(run(["-c", LAST_AUDIT_ENTRY], environment))
    return {"source": source, "database": database, "backup": output, "audited": audited, **expected}


def restore(backup: Path, target: Path, database: str | None, *options: str) -> subprocess.CompletedProcess[str]:
    return asylon(["restore", str(backup), *options], production_environment(target, database))


def data_written(target: Path) -> list[str]:
    """What a restore left in the target beyond the empty layout, its secret key, logs and the task queue."""
    layout = {"keys/django-secret-key", "huey.sqlite3", "huey.sqlite3-wal", "huey.sqlite3-shm"}
    return sorted(
        path.relative_to(target).as_posix()
        for path in target.rglob("*")
        if path.is_file() and path.relative_to(target).as_posix() not in layout and "logs" not in path.parts
    )


def test_drill_restores_every_table_and_the_same_decrypted_values(drill, keys, fresh_database, tmp_path):
    target, database = tmp_path / "restored", fresh_database()

    result = restore(
        drill["backup"],
        target,
        database,
        "--identity",
        str(keys["offsite"][0]),
        "--keys-identity",
        str(keys["custody"][0]),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "every member matched its SHA-256" in result.stdout
    assert "Keysets restored" in result.stdout
    assert "Migrations check: the database is at this version's migration state." in result.stdout
    restored = last_json_line(run(["-c", READ_RESTORED], production_environment(target, database)))
    assert restored["persons"] == drill["persons"]
    assert restored["events"] == [EVENT_DESCRIPTION]
    assert restored["decisions"] == [DECISION_REFERENCE]
    assert restored["document"] == {
        "sha256": hashlib.sha256(DOCUMENT).hexdigest(),
        "recorded": hashlib.sha256(DOCUMENT).hexdigest(),
        "size": len(DOCUMENT),
    }
    # Every table as the source had it when backed up, plus the restore's own audit entry.
    assert restored["tables"] == {**drill["tables"], AUDIT_TABLE: drill["tables"][AUDIT_TABLE] + 1}
    assert restored["last_audit_action"] == "backup.restore"
    assert (target / "backups" / "checkpoints" / "checkpoint-1.json").read_text(encoding="utf-8") == CHECKPOINT
    media = sorted(path.name for path in (target / "media" / "documents").iterdir())
    assert media == sorted(path.name for path in (drill["source"] / "media" / "documents").iterdir())
    assert (target / "keys" / "field.keyset.json").read_bytes() == (
        drill["source"] / "keys" / "field.keyset.json"
    ).read_bytes()
    assert (target / "keys" / "field.keyset.json").stat().st_mode & 0o077 == 0


def test_the_backup_is_audited_with_counts_only(drill):
    audited = drill["audited"]

    assert audited["action"] == "backup.create" and audited["actor"] is None
    assert audited["details"]["rows"] == sum(drill["tables"].values())
    assert audited["details"]["media_files"] == 1 and audited["details"]["checkpoints"] == 1
    assert audited["details"]["recipients"] == 2 and audited["details"]["keys_recipients"] == 1
    assert all(isinstance(value, int | bool | str) for value in audited["details"].values())
    assert not any(str(value).startswith(("age1", "/")) for value in audited["details"].values())


def test_a_wrong_identity_is_refused_and_nothing_is_written(drill, keys, fresh_database, tmp_path):
    target = tmp_path / "restored"

    result = restore(drill["backup"], target, fresh_database(), "--identity", str(keys["custody"][0]))

    assert result.returncode != 0
    assert "None of the identities given opens" in result.stderr
    assert data_written(target) == []


def test_the_data_identity_does_not_open_the_keysets(drill, keys, fresh_database, tmp_path):
    target, office = tmp_path / "restored", str(keys["office"][0])

    result = restore(drill["backup"], target, fresh_database(), "--identity", office, "--keys-identity", office)

    assert result.returncode != 0
    assert "The --keys-identity does not open the backup's keysets" in result.stderr
    assert data_written(target) == []


@pytest.mark.parametrize("where", ["header", "middle", "last byte"])
def test_a_flipped_byte_is_refused_and_nothing_is_written(drill, keys, fresh_database, tmp_path, where):
    content = bytearray(drill["backup"].read_bytes())
    position = {"header": 60, "middle": len(content) // 2, "last byte": len(content) - 1}[where]
    content[position] ^= 0x01
    damaged = tmp_path / "damaged.age"
    damaged.write_bytes(bytes(content))
    target = tmp_path / "restored"

    result = restore(damaged, target, fresh_database(), "--identity", str(keys["office"][0]))

    assert result.returncode != 0
    assert "damaged" in result.stderr
    assert data_written(target) == []


def test_a_truncated_file_is_refused_and_nothing_is_written(drill, keys, fresh_database, tmp_path):
    truncated = tmp_path / "truncated.age"
    truncated.write_bytes(drill["backup"].read_bytes()[:-4096])
    target = tmp_path / "restored"

    result = restore(truncated, target, fresh_database(), "--identity", str(keys["office"][0]))

    assert result.returncode != 0
    assert "is damaged or truncated" in result.stderr
    assert data_written(target) == []


def test_a_target_holding_data_is_refused(drill, keys, fresh_database, tmp_path):
    target = tmp_path / "restored"
    (target / "media" / "documents").mkdir(parents=True)
    (target / "media" / "documents" / "earlier").write_bytes(b"an earlier instance's file")

    result = restore(drill["backup"], target, fresh_database(), "--identity", str(keys["office"][0]))

    assert result.returncode != 0
    assert f"The data directory {target} is not empty" in result.stderr
    assert data_written(target) == ["media/documents/earlier"]


@pytest.mark.sqlite_only
def test_an_existing_sqlite_database_file_is_refused(drill, keys, tmp_path):
    target = tmp_path / "restored"
    target.mkdir()
    (target / "asylon.sqlite3").write_bytes(b"SQLite format 3\x00" + bytes(100))

    result = restore(drill["backup"], target, None, "--identity", str(keys["office"][0]))

    assert result.returncode != 0
    assert "it holds the database (sqlite" in result.stderr


@pytest.mark.postgres_only
def test_a_postgresql_database_with_tables_is_refused(drill, keys, fresh_database, tmp_path):
    database = fresh_database()
    with psycopg.connect(database, autocommit=True) as target_database:
        target_database.execute("CREATE TABLE earlier (id integer)")

    result = restore(drill["backup"], tmp_path / "restored", database, "--identity", str(keys["office"][0]))

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


# Recovery after losing the server (docs/keys.md): a backup made --without-keys, the keysets only in
# an `asylon keys export` held by two trustees, and the master key from its own custody.


@pytest.fixture(scope="module")
def custody(drill, keys, tmp_path_factory) -> dict:
    """The drill's source backed up --without-keys, and its keysets exported to two trustees."""
    directory = tmp_path_factory.mktemp("custody")
    trustees = {name: identity_file(directory, name) for name in ("trustee-vilnius", "trustee-berlin")}
    environment = production_environment(drill["source"], drill["database"])
    backup = directory / "without-keys.backup.age"
    made = succeeded(
        asylon(["backup", "--recipient", keys["office"][1], "--without-keys", "--output", str(backup)], environment)
    )
    assert "Keysets not included" in made.stdout
    export = directory / "asylon-keys.age"
    recipients = [argument for trustee in trustees.values() for argument in ("--recipient", trustee[1])]
    exported = succeeded(asylon(["keys", "export", *recipients, "--output", str(export)], environment))
    assert f"Key export written to {export}" in exported.stdout
    audited = last_json_line(run(["-c", LAST_AUDIT_ENTRY], environment))
    return {"backup": backup, "export": export, "trustees": trustees, "audited": audited}


def assert_restored_as_the_source(drill: dict, target: Path, database: str | None) -> None:
    restored = last_json_line(run(["-c", READ_RESTORED], production_environment(target, database)))
    assert restored["persons"] == drill["persons"]
    assert restored["events"] == [EVENT_DESCRIPTION]
    assert restored["decisions"] == [DECISION_REFERENCE]
    assert restored["document"]["sha256"] == hashlib.sha256(DOCUMENT).hexdigest()


def test_a_backup_without_keysets_restores_with_only_a_trustees_key_export_and_the_master_key(
    drill, custody, keys, fresh_database, tmp_path
):
    target, database = tmp_path / "restored", fresh_database()
    assert custody["audited"]["action"] == "keys.export" and custody["audited"]["details"]["recipients"] == 2

    result = restore(
        custody["backup"],
        target,
        database,
        "--identity",
        str(keys["office"][0]),
        "--keys-export",
        str(custody["export"]),
        "--keys-identity",
        str(custody["trustees"]["trustee-berlin"][0]),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Keysets restored from the key export" in result.stdout
    assert_restored_as_the_source(drill, target, database)
    for name in ("field.keyset.json", "blind_index.keyset.json"):
        assert (target / "keys" / name).read_bytes() == (drill["source"] / "keys" / name).read_bytes()
        assert (target / "keys" / name).stat().st_mode & 0o077 == 0


def test_a_trustee_can_open_the_key_export_by_hand_like_age_and_tar(drill, custody, keys, fresh_database, tmp_path):
    target, database = tmp_path / "restored", fresh_database()
    result = succeeded(restore(custody["backup"], target, database, "--identity", str(keys["office"][0])))
    assert "This backup holds no keysets" in result.stdout

    # age -d -i trustee.agekey asylon-keys.age | tar -x -C "$ASYLON_DATA_DIR" keys/
    [trustee] = archive.identities_from_file(custody["trustees"]["trustee-vilnius"][0])
    plain = pyrage.decrypt(custody["export"].read_bytes(), [trustee])
    with tarfile.open(fileobj=io.BytesIO(plain), mode="r:") as export:
        export.extractall(target, members=[m for m in export if m.name.startswith("keys/")], filter="data")

    assert_restored_as_the_source(drill, target, database)


def test_a_data_identity_does_not_open_the_key_export_and_nothing_is_written(custody, keys, fresh_database, tmp_path):
    target, office = tmp_path / "restored", str(keys["office"][0])

    result = restore(
        custody["backup"],
        target,
        fresh_database(),
        "--identity",
        office,
        "--keys-export",
        str(custody["export"]),
        "--keys-identity",
        office,
    )

    assert result.returncode != 0
    assert "None of the --keys-identity files opens" in result.stderr
    assert data_written(target) == []


def test_a_key_export_without_what_opens_it_is_refused(custody, keys, fresh_database, tmp_path):
    target = tmp_path / "restored"

    result = restore(
        custody["backup"],
        target,
        fresh_database(),
        "--identity",
        str(keys["office"][0]),
        "--keys-export",
        str(custody["export"]),
    )

    assert result.returncode != 0
    assert "Say what opens the --keys-export file" in result.stderr
    assert data_written(target) == []
