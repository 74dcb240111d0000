"""The backup archive's own checks, below age: members against the manifest, and entries that may not be unpacked."""

from __future__ import annotations

import io
import tarfile

import pytest
from pyrage import x25519

from asylon.ops.backup import archive
from asylon.ops.backup.manifest import MANIFEST_NAME, MEMBER_PREFIXES, Manifest, ManifestError, verify_members


def manifest() -> Manifest:
    return Manifest(
        created_at="2026-11-26T08:00:00+00:00",
        asylon_version="0.1.0",
        database_engine="sqlite",
        database_member="database/asylon.sqlite3",
        migrations=[["accounts", "0001_initial"]],
        tables={"accounts_user": 2},
    )


@pytest.fixture
def packed(tmp_path):
    """A tar of two members and its manifest, unpacked into `members/`."""
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "db").write_bytes(b"database bytes")
    (sources / "blob").write_bytes(b"\x01encrypted blob")
    described = manifest()
    tar_path = tmp_path / "backup.tar"
    archive.pack(
        tar_path, [("database/asylon.sqlite3", sources / "db"), ("media/documents/ab12", sources / "blob")], described
    )
    members = tmp_path / "members"
    members.mkdir()
    archive.unpack(tar_path, members, allowed_prefixes=MEMBER_PREFIXES, allowed_names=(MANIFEST_NAME,))
    return described, members


def test_the_manifest_records_every_member_and_round_trips(packed):
    described, members = packed

    read = Manifest.from_json((members / MANIFEST_NAME).read_bytes())

    assert read == described
    assert sorted(read.members) == ["database/asylon.sqlite3", "media/documents/ab12"]
    verify_members(read, members)


def test_a_member_that_differs_from_its_checksum_is_refused(packed):
    described, members = packed
    (members / "media" / "documents" / "ab12").write_bytes(b"\x01another blob!!")

    with pytest.raises(ManifestError, match="media/documents/ab12 does not match its SHA-256"):
        verify_members(described, members)


def test_a_missing_or_unlisted_member_is_refused(packed):
    described, members = packed
    (members / "media" / "documents" / "ab12").unlink()
    (members / "media" / "documents" / "zz99").write_bytes(b"smuggled")

    with pytest.raises(ManifestError, match=r"missing: media/documents/ab12; not listed: media/documents/zz99"):
        verify_members(described, members)


@pytest.mark.parametrize("name", ["../escape", "/etc/cron.d/evil", "keys/field.keyset.json", "media/../../escape"])
def test_entries_outside_the_expected_places_are_not_unpacked(tmp_path, name):
    tar_path = tmp_path / "evil.tar"
    with tarfile.open(tar_path, "w") as evil:
        info = tarfile.TarInfo(name)
        info.size = 4
        evil.addfile(info, io.BytesIO(b"evil"))
    target = tmp_path / "target"
    target.mkdir()

    with pytest.raises(archive.ArchiveError, match="unexpected entry"):
        archive.unpack(tar_path, target, allowed_prefixes=MEMBER_PREFIXES, allowed_names=(MANIFEST_NAME,))
    assert list(target.rglob("*")) == []


def test_a_symbolic_link_is_not_unpacked(tmp_path):
    tar_path = tmp_path / "link.tar"
    with tarfile.open(tar_path, "w") as linked:
        info = tarfile.TarInfo("media/documents/link")
        info.type = tarfile.SYMTYPE
        info.linkname = "/etc/passwd"
        linked.addfile(info)

    with pytest.raises(archive.ArchiveError, match="unexpected entry"):
        archive.unpack(tar_path, tmp_path, allowed_prefixes=MEMBER_PREFIXES, allowed_names=(MANIFEST_NAME,))


def test_the_keysets_open_only_with_the_custody_identity(tmp_path):
    keys_dir = tmp_path / "keys"
    keys_dir.mkdir()
    (keys_dir / "field.keyset.json").write_text('{"encryptedKeyset": "..."}', encoding="utf-8")
    (keys_dir / "django-secret-key").write_text("not carried", encoding="utf-8")
    (keys_dir / "keysets.lock").write_text("", encoding="utf-8")
    custody, data = x25519.Identity.generate(), x25519.Identity.generate()

    sealed, count = archive.keys_seal(keys_dir, [custody.to_public()])

    assert count == 1
    assert archive.keys_open(sealed, [custody]) == {"field.keyset.json": b'{"encryptedKeyset": "..."}'}
    with pytest.raises(archive.ArchiveError, match="does not open the backup's keysets"):
        archive.keys_open(sealed, [data])


def test_identity_and_recipient_files_are_checked(tmp_path):
    identity = x25519.Identity.generate()
    good = tmp_path / "good.agekey"
    good.write_text(f"# created 2026-11-26\n{identity}\n", encoding="utf-8")
    bad = tmp_path / "bad.agekey"
    bad.write_text("# nothing\nAGE-SECRET-KEY-1NOTAKEY\n", encoding="utf-8")

    assert [str(found) for found in archive.identities_from_file(good)] == [str(identity)]
    with pytest.raises(archive.ArchiveError, match="line 2: not an age secret key"):
        archive.identities_from_file(bad)
    with pytest.raises(archive.ArchiveError, match="is not an age public key"):
        archive.recipient_from_text("age1notakey")
