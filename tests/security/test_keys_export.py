"""`asylon keys export`: the sealed keysets in one age file for trustees; what it holds, writes, audits and refuses."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pyrage
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pyrage import x25519

from asylon.accounts.models import Organisation
from asylon.audit.models import AuditEntry
from asylon.common.crypto import key_history, keysets, rotation
from asylon.common.crypto.keyring import keyring, reset_keyring
from asylon.ops.backup.archive import ArchiveError
from asylon.ops.backup.key_export import MANIFEST_NAME, key_export_open
from asylon.ops.backup.restore import RestoreIncomplete, check_every_key_restored
from asylon.ops.management.commands.keys import ask_passphrase
from asylon.people.models import Person

pytestmark = pytest.mark.django_db

PASSPHRASE = "trustee passphrase of five long words"


def export(*arguments: str) -> str:
    out = io.StringIO()
    call_command("keys", "export", *arguments, stdout=out)
    return out.getvalue()


@pytest.fixture
def trustees() -> list[x25519.Identity]:
    return [x25519.Identity.generate(), x25519.Identity.generate()]


def members(plain: bytes) -> dict[str, bytes]:
    with tarfile.open(fileobj=io.BytesIO(plain), mode="r:") as archive:
        return {info.name: archive.extractfile(info).read() for info in archive}  # type: ignore[union-attr]


def test_the_export_opens_for_each_trustee_and_holds_the_sealed_keysets_as_on_disk(isolated_keys, trustees, tmp_path):
    output = tmp_path / "custody" / "asylon-keys.age"
    first, second = (str(trustee.to_public()) for trustee in trustees)

    shown = export("--recipient", first, "--recipient", second, "--output", str(output))

    assert f"Key export written to {output}" in shown and "encrypted to 2 age recipient(s)" in shown
    assert output.stat().st_mode & 0o777 == 0o600
    assert sorted(path.name for path in output.parent.iterdir()) == ["asylon-keys.age"]  # nothing else, no cleartext
    for trustee in trustees:
        inside = members(pyrage.decrypt(output.read_bytes(), [trustee]))
        for name in keysets.TEMPLATES:
            on_disk = keysets.keyset_path(isolated_keys, name)
            assert inside[f"keys/{on_disk.name}"] == on_disk.read_bytes()
            assert keysets.is_sealed(isolated_keys, name)
        assert "keys/keysets.lock" not in inside and "keys/django-secret-key" not in inside
    opened = key_export_open(output.read_bytes(), identities=[trustees[1]], passphrase=None)
    field_ids = {info.key_id for info in keysets.key_infos(keyring().field_handle)}
    assert opened.key_ids(keysets.FIELD) == field_ids
    [primary] = [key for key in opened.manifest["keysets"][keysets.FIELD]["keys"] if key["primary"]]
    assert primary["key_id"] == keyring().primary_key_id and primary["status"] == "ENABLED"


def test_the_export_is_audited_as_a_key_operation_with_ids_and_counts_only(isolated_keys, trustees, tmp_path):
    output = tmp_path / "keys.age"

    export("--recipient", str(trustees[0].to_public()), "--output", str(output))

    entry = AuditEntry.objects.get(action="keys.export")
    assert entry.actor is None
    assert entry.details["recipients"] == 1 and entry.details["passphrase"] is False
    assert entry.details["key_ids"]["field"] == [keyring().primary_key_id]
    assert entry.details["sha256"] == hashlib.sha256(output.read_bytes()).hexdigest()
    assert "age1" not in json.dumps(entry.details) and str(tmp_path) not in json.dumps(entry.details)


def test_a_wrong_identity_does_not_open_the_export(isolated_keys, trustees, tmp_path):
    output = tmp_path / "keys.age"
    export("--recipient", str(trustees[0].to_public()), "--output", str(output))

    with pytest.raises(ArchiveError, match="None of the --keys-identity files opens"):
        key_export_open(output.read_bytes(), identities=[x25519.Identity.generate()], passphrase=None)


def test_without_a_recipient_or_passphrase_nothing_is_written(isolated_keys, tmp_path):
    output = tmp_path / "keys.age"

    with pytest.raises(CommandError, match="Give at least one age recipient"):
        export("--output", str(output))

    assert not output.exists()
    assert not AuditEntry.objects.filter(action="keys.export").exists()


def test_a_recipient_that_is_not_an_age_public_key_is_refused(isolated_keys, tmp_path):
    with pytest.raises(CommandError, match="is not an age public key"):
        export("--recipient", "ssh-ed25519 AAAA", "--output", str(tmp_path / "keys.age"))
    recipients = tmp_path / "trustees.txt"
    recipients.write_text("# trustees\nage1notakey\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"trustees.txt, line 2: not an age public key"):
        export("--recipients-file", str(recipients), "--output", str(tmp_path / "keys.age"))


def test_recipients_file_and_passphrase_are_one_or_the_other(isolated_keys, trustees, tmp_path):
    recipients, passphrase = tmp_path / "trustees.txt", tmp_path / "passphrase"
    recipients.write_text(f"# trustee one\n{trustees[0].to_public()}\n\n{trustees[1].to_public()}\n", encoding="utf-8")
    passphrase.write_text(PASSPHRASE + "\n", encoding="utf-8")

    with pytest.raises(CommandError, match="age allows one or the other"):
        export("--recipients-file", str(recipients), "--passphrase-file", str(passphrase), "--output", "x.age")
    export("--recipients-file", str(recipients), "--output", str(tmp_path / "to-trustees.age"))
    export("--passphrase-file", str(passphrase), "--output", str(tmp_path / "with-passphrase.age"))

    sealed = (tmp_path / "to-trustees.age").read_bytes()
    assert key_export_open(sealed, identities=[trustees[1]], passphrase=None).files.keys() >= {"field.keyset.json"}
    with_passphrase = (tmp_path / "with-passphrase.age").read_bytes()
    with pytest.raises(ArchiveError, match="The passphrase does not open"):
        key_export_open(with_passphrase, identities=[], passphrase="another passphrase entirely")
    assert key_export_open(with_passphrase, identities=[], passphrase=PASSPHRASE).manifest["format"]


def test_a_short_passphrase_is_refused(isolated_keys, tmp_path):
    passphrase = tmp_path / "passphrase"
    passphrase.write_text("short one\n", encoding="utf-8")

    with pytest.raises(CommandError, match="at least 16 characters"):
        export("--passphrase-file", str(passphrase), "--output", str(tmp_path / "keys.age"))


def test_the_passphrase_prompt_is_refused_without_a_terminal(isolated_keys, tmp_path, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSPHRASE + "\n"))

    with pytest.raises(CommandError, match="asks at the terminal, and there is none"):
        export("--passphrase", "--output", str(tmp_path / "keys.age"))

    assert not (tmp_path / "keys.age").exists()


def test_the_passphrase_prompt_asks_twice(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Terminal())
    typed = iter([PASSPHRASE, PASSPHRASE + "!"])

    with pytest.raises(CommandError, match="The two passphrases differ"):
        ask_passphrase(read_secret=lambda prompt: next(typed))
    assert ask_passphrase(read_secret=lambda prompt: PASSPHRASE) == PASSPHRASE


def test_an_existing_output_is_never_replaced(isolated_keys, trustees, tmp_path):
    output = tmp_path / "keys.age"
    output.write_bytes(b"an earlier export")

    with pytest.raises(CommandError, match="exists; choose another --output"):
        export("--recipient", str(trustees[0].to_public()), "--output", str(output))

    assert output.read_bytes() == b"an earlier export"


def test_cleartext_keysets_of_a_demo_are_not_exported(settings, trustees, tmp_path):
    settings.ASYLON_KEYS_DIR = tmp_path / "keys"
    settings.ASYLON_DEMO = True
    keysets.ensure_keysets(settings.ASYLON_KEYS_DIR, None)
    reset_keyring()
    try:
        with pytest.raises(CommandError, match=r"stored in cleartext .*`asylon keys seal`"):
            export("--recipient", str(trustees[0].to_public()), "--output", str(tmp_path / "keys.age"))
    finally:
        reset_keyring()
    assert not (tmp_path / "keys.age").exists()


def test_an_export_is_refused_while_another_key_operation_runs(isolated_keys, trustees, tmp_path):
    with rotation.keyset_lock(isolated_keys), pytest.raises(CommandError, match="Another key operation is running"):
        export("--recipient", str(trustees[0].to_public()), "--output", str(tmp_path / "keys.age"))


def test_a_tampered_export_is_refused(isolated_keys, trustees, tmp_path):
    output = tmp_path / "keys.age"
    export("--recipient", str(trustees[0].to_public()), "--output", str(output))
    inside = members(pyrage.decrypt(output.read_bytes(), [trustees[0]]))
    inside["keys/field.keyset.json"] = inside["keys/blind_index.keyset.json"]
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name, content in inside.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    forged = pyrage.encrypt(buffer.getvalue(), [trustees[0].to_public()])

    with pytest.raises(ArchiveError, match=r"keys/field\.keyset\.json in .* does not match its SHA-256"):
        key_export_open(forged, identities=[trustees[0]], passphrase=None)
    assert MANIFEST_NAME in inside


def test_the_export_is_not_an_export_of_a_file_that_is_not_age(tmp_path: Path):
    with pytest.raises(ArchiveError, match="not an age-encrypted Asylon key export"):
        key_export_open(b"PK\x03\x04 a zip", identities=[x25519.Identity.generate()], passphrase=None)


def test_a_restore_with_keysets_older_than_the_data_names_the_missing_key(isolated_keys, trustees, tmp_path):
    organisation = Organisation.objects.create(name="Stale Export Centre", slug="stale-export")
    Person(organisation=organisation, given_name="Алесь", family_name="Бяляцкі").save()
    field_file = keysets.keyset_path(isolated_keys, keysets.FIELD)
    exported_before_rotation = field_file.read_bytes()
    newer = rotation.field_key_add(ring=keyring())
    Person(organisation=organisation, given_name="Марына", family_name="Золатава").save()
    field_file.write_bytes(exported_before_rotation)
    reset_keyring()

    with pytest.raises(
        RestoreIncomplete, match=rf"lack keys the data was written under: key {newer.key_id} \(2 values"
    ):
        check_every_key_restored()


def status() -> str:
    out = io.StringIO()
    call_command("keys", "status", stdout=out)
    return out.getvalue()


def test_status_says_whether_the_last_export_holds_every_current_key(isolated_keys, trustees, tmp_path):
    assert "No key export is recorded" in status()

    export("--recipient", str(trustees[0].to_public()), "--output", str(tmp_path / "keys.age"))
    assert "it holds every current key" in status()

    newer = rotation.field_key_add(ring=keyring())
    shown = status()
    assert f"lacks field keyset key {newer.key_id}" in shown
    assert "run `asylon keys export` again" in shown


def test_status_names_the_data_still_under_an_old_key(isolated_keys):
    organisation = Organisation.objects.create(name="Old Key Centre", slug="old-key")
    Person(organisation=organisation, given_name="Ігар", family_name="Лосік").save()
    first = keyring().primary_key_id
    assert f"Every stored value is under the primary field key {first}." in status()

    rotation.field_key_add(ring=keyring())

    shown = status()
    assert "2 values are still under old field keys" in shown
    assert "people.person.given_name: 1" in shown and "people.person.family_name: 1" in shown


def test_keys_made_for_a_new_data_directory_have_an_age(settings, tmp_path):
    keys_dir = tmp_path / "keys"
    keysets.ensure_keysets(keys_dir, keyring().master)

    for name in keysets.TEMPLATES:
        handle = keysets.read_keyset(keys_dir, name, keyring().master, allow_cleartext=False)
        history = key_history.read_history(keys_dir, name)
        assert history[handle.keyset_info().primary_key_id].created_at is not None
