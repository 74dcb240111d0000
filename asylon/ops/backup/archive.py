"""The backup file: a tar of the members, encrypted with age to X25519 recipients or a passphrase.

age authenticates every chunk and marks the last one, so a flipped byte, a cut-off file or a wrong
key is refused before anything is unpacked. The keysets travel inside as `keys.age`, a second age
file encrypted to the key-custody recipients, which the data recipients cannot open.
"""

from __future__ import annotations

import hashlib
import io
import os
import tarfile
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath
from typing import BinaryIO

import pyrage
from pyrage import passphrase as age_passphrase
from pyrage import x25519

from asylon.ops.backup.manifest import MANIFEST_NAME, Manifest, Member

AGE_MAGIC = b"age-encryption.org/v1\n"
PASSPHRASE_STANZA = b"-> scrypt "
PRIVATE_FILE = 0o600
KEYS_EXCLUDED = {"keysets.lock", "django-secret-key"}  # a lock, and a secret a restored instance makes anew


class ArchiveError(Exception):
    """The backup file cannot be opened: wrong key, damage, truncation, or not a backup at all."""


def recipient_from_text(text: str) -> x25519.Recipient:
    """An age X25519 public key (`age1…`)."""
    try:
        return x25519.Recipient.from_str(text.strip())
    except pyrage.RecipientError as error:
        raise ArchiveError(f"{text.strip()[:12]}… is not an age public key (age1…): {error}") from error


def identities_from_file(path: Path) -> list[x25519.Identity]:
    """The X25519 identities (`AGE-SECRET-KEY-1…` lines) of an age identity file; comments are skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise ArchiveError(f"Cannot read the identity file {path}: {error.strerror}.") from error
    identities = []
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        try:
            identities.append(x25519.Identity.from_str(text))
        except pyrage.IdentityError:
            raise ArchiveError(f"{path}, line {number}: not an age secret key (AGE-SECRET-KEY-1…).") from None
    if not identities:
        raise ArchiveError(f"{path} holds no age secret key (AGE-SECRET-KEY-1…).")
    return identities


def passphrase_from_file(path: Path) -> str:
    """The passphrase in a file (its first line); refuses an empty one."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise ArchiveError(f"Cannot read the passphrase file {path}: {error.strerror}.") from error
    value = lines[0].strip() if lines else ""
    if not value:
        raise ArchiveError(f"The passphrase file {path} is empty.")
    return value


def pack(tar_path: Path, members: Iterable[tuple[str, Path]], manifest: Manifest) -> None:
    """Write an uncompressed tar of the members (name in the archive, file on disk), the manifest last.

    Each file is read once: its SHA-256 is taken from the very bytes written into the archive.
    """
    with tarfile.open(tar_path, "w", format=tarfile.PAX_FORMAT) as archive:
        for name, path in members:
            with path.open("rb") as stream:
                info = _anonymous(archive.gettarinfo(arcname=name, fileobj=stream))
                digesting = _Digesting(stream)
                archive.addfile(info, digesting)
                manifest.members[name] = Member(sha256=digesting.digest.hexdigest(), size=digesting.size)
        content = manifest.to_json()
        info = _anonymous(tarfile.TarInfo(MANIFEST_NAME))
        info.size = len(content)
        archive.addfile(info, io.BytesIO(content))


class _Digesting(io.RawIOBase):
    """A read-only stream that hashes what is read through it."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.digest = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        block = self.stream.read(size)
        self.digest.update(block)
        self.size += len(block)
        return block


def _anonymous(info: tarfile.TarInfo) -> tarfile.TarInfo:
    """No owner names, ids or times of the server in the archive."""
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mtime = 0
    info.mode = PRIVATE_FILE
    return info


def unpack(tar_path: Path, directory: Path, allowed_prefixes: Sequence[str], allowed_names: Sequence[str]) -> None:
    """Extract regular files only, each under an allowed prefix or with an allowed name, nothing else."""
    try:
        with tarfile.open(tar_path, "r:") as archive:
            for info in archive:
                name = PurePosixPath(info.name)
                if not info.isfile() or name.is_absolute() or ".." in name.parts:
                    raise ArchiveError(f"The backup holds an unexpected entry {info.name!r}; refused.")
                if info.name not in allowed_names and not info.name.startswith(tuple(allowed_prefixes)):
                    raise ArchiveError(f"The backup holds an unexpected entry {info.name!r}; refused.")
                archive.extract(info, directory, filter="data")
    except tarfile.TarError as error:
        raise ArchiveError(f"The backup's content is not a readable archive: {error}.") from error


def seal(plain: Path, output: Path, *, recipients: Sequence[x25519.Recipient], passphrase: str | None) -> None:
    """Encrypt a file to recipients (streamed) or a passphrase (in memory); write `output` atomically, 0600."""
    partial = output.with_name(output.name + ".partial")
    try:
        if passphrase is not None:
            sealed = age_passphrase.encrypt(plain.read_bytes(), passphrase)
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(sealed)
        else:
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
            os.close(descriptor)
            pyrage.encrypt_file(str(plain), str(partial), list(recipients))
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)


def open_sealed(sealed: Path, plain: Path, *, identities: Sequence[x25519.Identity], passphrase: str | None) -> None:
    """Decrypt a backup file into `plain`, or raise ArchiveError saying what is wrong with it."""
    with sealed.open("rb") as stream:
        header = stream.read(len(AGE_MAGIC) + len(PASSPHRASE_STANZA))
    if not header.startswith(AGE_MAGIC):
        raise ArchiveError(f"{sealed} is not an age-encrypted Asylon backup (or its first bytes are damaged).")
    with_passphrase = header[len(AGE_MAGIC) :] == PASSPHRASE_STANZA
    if with_passphrase and passphrase is None:
        raise ArchiveError(f"{sealed} was encrypted with a passphrase: restore it with --passphrase-file.")
    if not with_passphrase and passphrase is not None:
        raise ArchiveError(f"{sealed} was encrypted to age recipients: restore it with --identity.")
    try:
        if passphrase is not None:
            data = age_passphrase.decrypt(sealed.read_bytes(), passphrase)
            descriptor = os.open(plain, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(data)
        else:
            pyrage.decrypt_file(str(sealed), str(plain), list(identities))
    except (pyrage.DecryptError, OSError) as error:  # streamed decryption reports damage as OSError
        raise ArchiveError(_decrypt_failure(sealed, str(error), with_passphrase)) from error


def _decrypt_failure(sealed: Path, reason: str, with_passphrase: bool) -> str:
    if reason == "No matching keys found":
        return (
            f"None of the identities given opens {sealed}: it was encrypted to other recipients "
            "(wrong identity file), or its header is damaged."
        )
    if reason == "Decryption failed" and with_passphrase:
        return f"The passphrase does not open {sealed} (wrong passphrase, or its header is damaged)."
    return (
        f"{sealed} is damaged or truncated: its content fails age's authentication ({reason}). "
        "Nothing was restored; use another copy of the backup."
    )


def keys_seal(keys_dir: Path, recipients: Sequence[x25519.Recipient]) -> tuple[bytes, int]:
    """The keys directory's files (sealed keysets, key history, signing key) as an age file; and how many."""
    buffer = io.BytesIO()
    files = sorted(
        path
        for path in keys_dir.iterdir()
        if path.is_file() and path.name not in KEYS_EXCLUDED and not path.name.endswith(".tmp")
    )
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for path in files:
            archive.add(path, arcname=path.name, recursive=False, filter=_anonymous)
    return pyrage.encrypt(buffer.getvalue(), list(recipients)), len(files)


def keys_open(sealed: bytes, identities: Sequence[x25519.Identity]) -> dict[str, bytes]:
    """The files of a `keys.age` member, by name."""
    try:
        plain = pyrage.decrypt(sealed, list(identities))
    except pyrage.DecryptError as error:
        if str(error) == "No matching keys found":
            raise ArchiveError(
                "The --keys-identity does not open the backup's keysets: they were encrypted to another "
                "key-custody recipient."
            ) from error
        raise ArchiveError(f"The backup's keysets are damaged ({error}).") from error
    files = {}
    with tarfile.open(fileobj=io.BytesIO(plain), mode="r:") as archive:
        for info in archive:
            if not info.isfile() or "/" in info.name or info.name in {"", ".", ".."}:
                raise ArchiveError(f"The backup's keysets hold an unexpected entry {info.name!r}; refused.")
            extracted = archive.extractfile(info)
            if extracted is not None:
                files[info.name] = extracted.read()
    return files
