"""The manifest of a backup: what it holds, counts per table, migration state and a SHA-256 per member."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

FORMAT = "asylon-backup/1"
MANIFEST_NAME = "manifest.json"
DATABASE_PREFIX = "database/"
MEDIA_PREFIX = "media/"
CHECKPOINTS_PREFIX = "checkpoints/"
KEYS_MEMBER = "keys.age"
MEMBER_PREFIXES = (DATABASE_PREFIX, MEDIA_PREFIX, CHECKPOINTS_PREFIX)
READ_BLOCK = 1024 * 1024


class ManifestError(Exception):
    """The manifest is missing, unreadable, or does not describe the members found."""


@dataclass(frozen=True)
class Member:
    sha256: str
    size: int


@dataclass
class Manifest:
    created_at: str
    asylon_version: str
    database_engine: str  # "sqlite" or "postgresql"
    database_member: str
    migrations: list[list[str]]  # [app, name] applied in the snapshot, sorted
    tables: dict[str, int]  # rows per table in the snapshot
    members: dict[str, Member] = field(default_factory=dict)
    keys_included: bool = False
    format: str = FORMAT

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), indent=2, sort_keys=True).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        try:
            document: dict[str, Any] = json.loads(data)
            if document.get("format") != FORMAT:
                raise ManifestError(f"Unknown backup format {document.get('format')!r}; expected {FORMAT!r}.")
            members = {name: Member(**member) for name, member in document.pop("members").items()}
            return cls(members=members, **document)
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            raise ManifestError(f"The backup's manifest is unreadable: {error}") from error

    def count_of(self, prefix: str) -> int:
        return sum(1 for name in self.members if name.startswith(prefix))

    def summary(self) -> dict[str, Any]:
        """Counts only (for the audit log and the command's report): never names or values."""
        return {
            "tables": len(self.tables),
            "rows": sum(self.tables.values()),
            "media_files": self.count_of(MEDIA_PREFIX),
            "checkpoints": self.count_of(CHECKPOINTS_PREFIX),
            "bytes": sum(member.size for member in self.members.values()),
            "keys_included": self.keys_included,
        }


def file_member(path: Path) -> Member:
    """The SHA-256 and size of a file, read in blocks."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as stream:
        while block := stream.read(READ_BLOCK):
            digest.update(block)
            size += len(block)
    return Member(sha256=digest.hexdigest(), size=size)


def verify_members(manifest: Manifest, directory: Path) -> None:
    """Check that `directory` holds exactly the manifest's members, each with its recorded SHA-256."""
    found = {path.relative_to(directory).as_posix() for path in directory.rglob("*") if path.is_file()}
    found.discard(MANIFEST_NAME)
    missing = sorted(set(manifest.members) - found)
    unexpected = sorted(found - set(manifest.members))
    if missing or unexpected:
        raise ManifestError(
            f"The backup does not hold what its manifest lists (missing: {', '.join(missing) or 'none'}; "
            f"not listed: {', '.join(unexpected) or 'none'})."
        )
    for name, expected in sorted(manifest.members.items()):
        actual = file_member(directory / name)
        if actual != expected:
            raise ManifestError(f"{name} does not match its SHA-256 in the manifest: the backup is damaged.")
