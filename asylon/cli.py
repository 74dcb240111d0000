"""The `asylon` command: Django's management commands under production settings.

`asylon quickstart` and `asylon demo` first prepare the data directory (folders, secret key,
keysets), because production settings refuse to load without them.
"""

from __future__ import annotations

import os
import sys

from asylon.common.crypto.master import MasterKeyError

PREPARING_COMMANDS = {"quickstart", "demo"}
PRIVATE_FILES_UMASK = 0o077  # databases, logs and blobs readable by the service account only


def main(argv: list[str] | None = None) -> None:
    arguments = sys.argv[1:] if argv is None else argv
    os.umask(PRIVATE_FILES_UMASK)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asylon.config.settings.production")
    if arguments and arguments[0] in PREPARING_COMMANDS:
        from asylon.bootstrap import prepare_data_dir

        try:
            prepare_data_dir()
        except MasterKeyError as error:
            sys.exit(f"asylon: {error}")
    if arguments and arguments[0] == "restore":
        # A restore target gets its layout and secret key, but no keysets: those come from the backup.
        from asylon.ops.backup.target import restore_target_prepare

        restore_target_prepare()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["asylon", *arguments])


if __name__ == "__main__":
    main()
