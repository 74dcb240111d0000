"""`asylon audit-checkpoint`: sign the audit chain head now and export the checkpoint file."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from asylon.audit.checkpoints import checkpoint_create, export_directory
from asylon.common.crypto.master import MasterKeyError


class Command(BaseCommand):
    help = "Sign a checkpoint of the audit chain and write it to the backups' checkpoints/ directory."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            checkpoint = checkpoint_create()
        except MasterKeyError as error:
            raise CommandError(str(error)) from error
        if checkpoint is None:  # only when asked to skip an unchanged chain, which this command does not
            raise CommandError("No checkpoint was written.")
        self.stdout.write(
            f"Checkpoint at sequence {checkpoint.sequence} ({checkpoint.entry_count} entries), "
            f"key {checkpoint.key_id}, written to {export_directory()}."
        )
