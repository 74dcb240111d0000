"""`asylon verify-audit [--checkpoint FILE ...] [--public-key KEY ...]`: recompute the audit chain.

Exits 0 when the chain is whole, 1 with one line per finding otherwise (docs/security/audit.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from asylon.audit.checkpoints import read_document
from asylon.audit.signing import PublicKey, SigningKeyRefused, instance_public_key, public_key_from_text
from asylon.audit.verify import verify_chain
from asylon.common.crypto.master import MasterKeyError


class Command(BaseCommand):
    help = "Verify the audit log's hash chain, its chain head and its signed checkpoints."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            type=Path,
            metavar="FILE",
            help="A checkpoint file kept off the server (repeatable).",
        )
        parser.add_argument(
            "--public-key",
            action="append",
            default=[],
            metavar="BASE64",
            help="A trusted signing public key (repeatable); the instance's own key is used when it can be opened.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        public_keys: list[PublicKey] = []
        try:
            public_keys.append(instance_public_key())
        except (SigningKeyRefused, MasterKeyError, OSError) as error:
            if not options["public_key"]:
                self.stderr.write(f"Cannot open the instance's signing key ({error}); pass --public-key.")
        try:
            public_keys.extend(public_key_from_text(text) for text in options["public_key"])
            documents = [(str(path), read_document(path)) for path in options["checkpoint"]]
        except (OSError, ValueError, KeyError) as error:
            raise CommandError(str(error)) from error
        result = verify_chain(documents=documents, public_keys=public_keys)
        for finding in result.findings:
            self.stdout.write(str(finding))
        summary = (
            f"{result.entries} entries up to sequence {result.last_sequence}, "
            f"{result.checkpoints_checked} checkpoints checked"
        )
        if result.ok:
            self.stdout.write(f"Audit chain verified: {summary}.")
            return
        raise CommandError(f"Audit chain NOT verified: {len(result.findings)} findings; {summary}.", returncode=1)
