"""The `asylon` command: Django's management commands under production settings.

`asylon quickstart` and `asylon demo` first prepare the data directory (folders, secret key,
keysets), because production settings refuse to load without them. `asylon --ask-master-key …`
(or ASYLON_MASTER_KEY_PROMPT=1) first reads the master key at a terminal prompt (docs/keys.md).
"""

from __future__ import annotations

import os
import sys

from asylon.common.crypto.master import MasterKeyError
from asylon.config.master_prompt import ask_master_key, hand_on, prompt_requested

PREPARING_COMMANDS = {"quickstart", "demo"}
# Long-running services that open the keysets before they start, so a wrong master key stops them at once
# (huey would otherwise fail each task in turn); the web workers do the same in asylon.config.wsgi.
KEYED_SERVICES = {"run_huey"}
PRIVATE_FILES_UMASK = 0o077  # databases, logs and blobs readable by the service account only


def main(argv: list[str] | None = None) -> None:
    arguments = sys.argv[1:] if argv is None else argv
    os.umask(PRIVATE_FILES_UMASK)
    asked, arguments = prompt_requested(arguments)
    if asked:
        try:
            hand_on(ask_master_key())
        except MasterKeyError as error:
            sys.exit(f"asylon: {error}")
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

    try:
        if arguments and arguments[0] in KEYED_SERVICES:
            _keysets_opened()
        execute_from_command_line(["asylon", *arguments])
    except MasterKeyError as error:  # a missing, unreadable or wrong master key: say so, without a traceback
        sys.exit(f"asylon: {error}")


def _keysets_opened() -> None:
    import django

    from asylon.common.crypto.keyring import keyring

    django.setup()
    keyring()


if __name__ == "__main__":
    main()
