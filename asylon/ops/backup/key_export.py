"""`asylon keys export`: the keysets, as sealed on disk, in one age file for offline key custody.

The file is an age file (X25519 recipients, for example two trustees, or a passphrase) holding a
tar built in memory: `keys/<file>` for every file of the keys directory a restore needs (the
sealed field and blind-index keysets, their key history, the sealed audit signing key) and
`key-export.json` (format, time, the key ids of each keyset with primary, status and dates, and
the SHA-256 of every file). Nothing is written to disk in the clear, and the keysets inside are
still sealed under the master key: a trustee's identity alone opens no personal data.

A trustee can open it without Asylon: `age -d -i trustee.agekey keys.age | tar -x -C DATA_DIR keys/`.
`asylon restore BACKUP --keys-export FILE --keys-identity trustee.agekey` checks it and puts it in place.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import tarfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import pyrage
from django.conf import settings
from pyrage import passphrase as age_passphrase
from pyrage import x25519

from asylon.audit import services as audit
from asylon.audit.signing import KEY_FILE_NAME as SIGNING_KEY_FILE
from asylon.common.crypto import key_history, keysets
from asylon.common.crypto.keyring import keyring
from asylon.common.crypto.rotation import keyset_lock
from asylon.ops.backup.archive import AGE_MAGIC, KEYS_EXCLUDED, PASSPHRASE_STANZA, PRIVATE_FILE, ArchiveError

FORMAT = "asylon-key-export/1"
MANIFEST_NAME = "key-export.json"
KEYS_PREFIX = "keys/"
MIN_PASSPHRASE_LENGTH = 16


class KeyExportRefused(Exception):
    """The export cannot be written (no recipient, cleartext keysets, an existing file); nothing was written."""


@dataclass(frozen=True)
class KeyExport:
    """An opened export: the keys directory's files by name, and what the manifest says about them."""

    files: dict[str, bytes]
    manifest: dict[str, Any]

    def key_ids(self, name: str) -> set[int]:
        return {key["key_id"] for key in self.manifest["keysets"][name]["keys"]}


@dataclass(frozen=True)
class ExportReport:
    output: Path
    files: int
    key_ids: dict[str, list[int]]
    sha256: str


def check_passphrase(value: str) -> str:
    """Refuse a passphrase short enough to guess offline (the export is kept for years)."""
    if len(value) < MIN_PASSPHRASE_LENGTH:
        raise KeyExportRefused(
            f"The passphrase must be at least {MIN_PASSPHRASE_LENGTH} characters: the export may be attacked "
            "offline for as long as it exists. Several random words are easy to keep and hard to guess."
        )
    return value


def recipients_from_file(path: Path) -> list[x25519.Recipient]:
    """The age public keys (`age1…` lines) of a recipients file; comments and blank lines are skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise KeyExportRefused(f"Cannot read the recipients file {path}: {error}.") from None
    recipients = []
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        try:
            recipients.append(x25519.Recipient.from_str(text))
        except pyrage.RecipientError:
            raise KeyExportRefused(f"{path}, line {number}: not an age public key (age1…).") from None
    if not recipients:
        raise KeyExportRefused(f"{path} holds no age public key (age1…).")
    return recipients


def _custody_files(keys_dir: Path) -> list[Path]:
    return sorted(
        path
        for path in keys_dir.iterdir()
        if path.is_file() and path.name not in KEYS_EXCLUDED and path.suffix not in {".tmp", ".partial"}
    )


def _keyset_description(keys_dir: Path, name: str) -> dict[str, Any]:
    """A keyset's key ids with primary, status and dates; refuses one that is cleartext or does not open."""
    if not keysets.is_sealed(keys_dir, name):
        raise KeyExportRefused(
            f"The {name} keyset is stored in cleartext (a demonstration instance): seal it with `asylon keys seal` "
            "before exporting it for custody."
        )
    handle = keysets.read_keyset(keys_dir, name, keyring().master, allow_cleartext=False)
    history = key_history.read_history(keys_dir, name)
    keys = []
    for info in keysets.key_infos(handle):
        record = history.get(info.key_id, key_history.KeyRecord())
        keys.append(
            {
                "key_id": info.key_id,
                "primary": info.primary,
                "status": info.status,
                "created_at": record.created_at.isoformat() if record.created_at else None,
            }
        )
    return {"sealed": True, "keys": keys}


def _signing_key_sealed(keys_dir: Path) -> None:
    path = keys_dir / SIGNING_KEY_FILE
    if path.exists() and "sealed_private_key" not in json.loads(path.read_text(encoding="utf-8")):
        raise KeyExportRefused(
            "The audit signing key is stored in cleartext (a demonstration instance): seal it with "
            "`asylon keys seal` before exporting the keys for custody."
        )


def _tar(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            info.mode = PRIVATE_FILE
            archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def _write_new(output: Path, content: bytes) -> None:
    """Write `content` to a new file, 0600; refuse to replace an existing one."""
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.link(partial, output)  # fails if the output appeared meanwhile: never over an existing file
    except FileExistsError:
        raise KeyExportRefused(f"{output} exists; choose another --output.") from None
    finally:
        partial.unlink(missing_ok=True)


def keys_export(
    *,
    output: Path,
    recipients: Sequence[x25519.Recipient],
    passphrase: str | None,
    now: datetime.datetime | None = None,
) -> ExportReport:
    """Write the sealed keysets and their key metadata into one age file; audit `keys.export` with key ids only."""
    if bool(recipients) == (passphrase is not None):
        raise KeyExportRefused(
            "Give at least one age recipient (--recipient age1…, for example one per trustee), or a passphrase "
            "(--passphrase or --passphrase-file): age allows one or the other, not both."
        )
    if passphrase is not None:
        check_passphrase(passphrase)
    if output.exists():
        raise KeyExportRefused(f"{output} exists; choose another --output.")
    keys_dir = Path(settings.ASYLON_KEYS_DIR)
    moment = now or datetime.datetime.now(datetime.UTC)
    with keyset_lock(keys_dir):  # no rotation may change the keysets between reading and describing them
        described = {name: _keyset_description(keys_dir, name) for name in keysets.TEMPLATES}
        _signing_key_sealed(keys_dir)
        contents = {KEYS_PREFIX + path.name: path.read_bytes() for path in _custody_files(keys_dir)}
    manifest = {
        "format": FORMAT,
        "created_at": moment.isoformat(timespec="seconds"),
        "keysets": described,
        "files": {
            name: {"sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}
            for name, content in contents.items()
        },
    }
    plain = _tar({**contents, MANIFEST_NAME: json.dumps(manifest, indent=2, sort_keys=True).encode()})
    sealed = (
        age_passphrase.encrypt(plain, passphrase) if passphrase is not None else pyrage.encrypt(plain, list(recipients))
    )
    _write_new(output, sealed)
    key_ids = {name: [key["key_id"] for key in description["keys"]] for name, description in described.items()}
    digest = hashlib.sha256(sealed).hexdigest()
    audit.record(
        actor=None,
        action="keys.export",
        details={
            "recipients": len(recipients),
            "passphrase": passphrase is not None,
            "files": len(contents),
            "key_ids": key_ids,
            "sha256": digest,
        },
    )
    return ExportReport(output=output, files=len(contents), key_ids=key_ids, sha256=digest)


@dataclass(frozen=True)
class LastExport:
    created_at: datetime.datetime
    key_ids: dict[str, list[int]]


def last_export() -> LastExport | None:
    """The newest `keys.export` in the audit log (its time and the key ids it held), or None."""
    from asylon.audit.models import AuditEntry

    entry = AuditEntry.objects.filter(action="keys.export").order_by("-sequence").only("created_at", "details").first()
    if entry is None:
        return None
    return LastExport(created_at=entry.created_at, key_ids=entry.details.get("key_ids", {}))


def key_export_open(
    sealed: bytes, *, identities: Sequence[x25519.Identity], passphrase: str | None, source: str = "the key export"
) -> KeyExport:
    """Decrypt and check an export: only `keys/<name>` files and the manifest, each matching its SHA-256."""
    if not sealed.startswith(AGE_MAGIC):
        raise ArchiveError(f"{source} is not an age-encrypted Asylon key export (or its first bytes are damaged).")
    with_passphrase = sealed[len(AGE_MAGIC) :].startswith(PASSPHRASE_STANZA)
    if with_passphrase and passphrase is None:
        raise ArchiveError(f"{source} was encrypted with a passphrase: give --keys-passphrase-file.")
    if not with_passphrase and passphrase is not None:
        raise ArchiveError(f"{source} was encrypted to age recipients: give --keys-identity.")
    try:
        plain = (
            age_passphrase.decrypt(sealed, passphrase)
            if passphrase is not None
            else pyrage.decrypt(sealed, list(identities))
        )
    except pyrage.DecryptError as error:
        if str(error) == "No matching keys found":
            raise ArchiveError(
                f"None of the --keys-identity files opens {source}: it was encrypted to other recipients "
                "(a trustee's identity opens it, a data identity does not)."
            ) from error
        if with_passphrase and str(error) == "Decryption failed":
            raise ArchiveError(f"The passphrase does not open {source}.") from error
        raise ArchiveError(f"{source} is damaged or truncated ({error}).") from error
    return _checked(plain, source)


def _checked(plain: bytes, source: str) -> KeyExport:
    members: dict[str, bytes] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(plain), mode="r:") as archive:
            for info in archive:
                path = PurePosixPath(info.name)
                allowed = info.name == MANIFEST_NAME or (len(path.parts) == 2 and info.name.startswith(KEYS_PREFIX))
                if not info.isfile() or not allowed or ".." in path.parts:
                    raise ArchiveError(f"{source} holds an unexpected entry {info.name!r}; refused.")
                extracted = archive.extractfile(info)
                members[info.name] = extracted.read() if extracted else b""
    except tarfile.TarError as error:
        raise ArchiveError(f"{source} is not a readable key export: {error}.") from error
    try:
        manifest = json.loads(members.pop(MANIFEST_NAME))
        if manifest.get("format") != FORMAT:
            raise ArchiveError(f"{source} has the unknown format {manifest.get('format')!r}; expected {FORMAT!r}.")
        listed = manifest["files"]
    except (KeyError, ValueError, AttributeError) as error:
        raise ArchiveError(f"{source} holds no readable manifest: {error}.") from error
    if set(listed) != set(members):
        raise ArchiveError(f"{source} does not hold the files its manifest lists; refused.")
    for name, content in members.items():
        if hashlib.sha256(content).hexdigest() != listed[name]["sha256"]:
            raise ArchiveError(f"{name} in {source} does not match its SHA-256; refused.")
    missing = [
        name for name in keysets.TEMPLATES if KEYS_PREFIX + keysets.keyset_path(Path(), name).name not in members
    ]
    if missing:
        raise ArchiveError(f"{source} lacks the {', '.join(missing)} keyset(s); refused.")
    return KeyExport(
        files={name.removeprefix(KEYS_PREFIX): content for name, content in members.items()}, manifest=manifest
    )
