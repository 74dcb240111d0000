"""Signed checkpoints: the key outside the database, the exported file, the command and the periodic task."""

import json
import stat

import pytest
from django.core.management import call_command

from asylon.audit.checkpoints import checkpoint_create, export_directory, read_document, signature_valid
from asylon.audit.models import Checkpoint
from asylon.audit.signing import KEY_FILE_NAME, instance_public_key, public_key_from_text

pytestmark = pytest.mark.django_db


def test_checkpoint_signs_sequence_count_and_head(chain, settings):
    checkpoint = checkpoint_create()

    assert (checkpoint.sequence, checkpoint.entry_count, checkpoint.head_hash) == (8, 8, chain[-1].entry_hash)
    [path] = export_directory().glob(f"checkpoint-000000000008-{checkpoint.created_at:%Y%m%dT%H%M%S%f}Z.json")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    document = read_document(path)
    assert document["public_key"] == instance_public_key().text
    assert signature_valid(document, [public_key_from_text(document["public_key"])])
    document["head_hash"] = "0" * 64
    assert not signature_valid(document, [instance_public_key()])


def test_signing_key_is_sealed_and_private(settings):
    instance_public_key()
    key_file = settings.ASYLON_KEYS_DIR / KEY_FILE_NAME

    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert set(json.loads(key_file.read_text())) == {"sealed_private_key", "key_id"}


def test_cleartext_signing_key_is_refused_outside_the_demo(settings, tmp_path):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from asylon.audit.signing import SigningKeyRefused, read_signing_key, write_signing_key

    write_signing_key(tmp_path, Ed25519PrivateKey.generate(), None, replace=True)

    with pytest.raises(SigningKeyRefused):
        read_signing_key(tmp_path, None, allow_cleartext=False)
    assert read_signing_key(tmp_path, None, allow_cleartext=True)


def test_periodic_task_skips_an_unchanged_chain(chain):
    from asylon.audit.tasks import audit_checkpoint_hourly

    audit_checkpoint_hourly.call_local()
    audit_checkpoint_hourly.call_local()

    assert Checkpoint.objects.count() == 1


def test_command_writes_a_checkpoint(chain, capsys):
    call_command("audit-checkpoint")

    assert "Checkpoint at sequence 8 (8 entries)" in capsys.readouterr().out
    assert Checkpoint.objects.get().sequence == 8


def test_keys_seal_seals_a_demos_cleartext_signing_key(tmp_path, organisation):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from asylon.audit.signing import public_of, read_signing_key, write_signing_key
    from asylon.common.crypto import keysets
    from asylon.common.crypto.master import MasterAead
    from asylon.common.crypto.rotation import keysets_seal

    key = Ed25519PrivateKey.generate()
    keysets.ensure_keysets(tmp_path, None)
    write_signing_key(tmp_path, key, None, replace=True)
    master = MasterAead(b"a-master-key-for-this-test-" + b"z" * 32)

    assert "audit_signing" in keysets_seal(keys_dir=tmp_path, master=master)

    assert "sealed_private_key" in json.loads((tmp_path / KEY_FILE_NAME).read_text())
    assert public_of(read_signing_key(tmp_path, master, allow_cleartext=False)) == public_of(key)
    assert "audit_signing" not in keysets_seal(keys_dir=tmp_path, master=master)
