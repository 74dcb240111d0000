"""The master key typed at start: read from the terminal without echo, handed on in memory only.

`asylon --ask-master-key COMMAND …` or `ASYLON_MASTER_KEY_PROMPT=1 asylon COMMAND …` asks for
the key with getpass before Django starts. The key is checked (length; whether it opens the
keysets is checked where they are read), then put into an anonymous in-memory file (memfd,
never on disk) whose descriptor the process and the server and worker it starts inherit;
ASYLON_MASTER_KEY_FILE names it as /proc/self/fd/N. The key is never echoed, logged, written to
a file or put into the environment. Without a terminal the prompt is refused: a service manager
supplies the key in a file instead (docs/keys.md).
"""

from __future__ import annotations

import fcntl
import getpass
import os
import sys
from collections.abc import Callable
from typing import TextIO

from asylon.common.crypto import keysets
from asylon.common.crypto.master import MasterAead, MasterKeyError
from asylon.config import environment

PROMPT_OPTION = "--ask-master-key"
PROMPT_VARIABLE = "ASYLON_MASTER_KEY_PROMPT"
FD_VARIABLE = "ASYLON_MASTER_KEY_FD"  # the in-memory file's descriptor, for processes that start others


def prompt_requested(arguments: list[str]) -> tuple[bool, list[str]]:
    """Whether the master key is to be asked for; the arguments without the option."""
    remaining = [argument for argument in arguments if argument != PROMPT_OPTION]
    return len(remaining) != len(arguments) or environment.flag(PROMPT_VARIABLE), remaining


def ask_master_key(*, stdin: TextIO | None = None, read_secret: Callable[[str], str] = getpass.getpass) -> bytes:
    """Read the master key from the terminal without echo; refuse without a terminal or beside another source."""
    stdin = stdin or sys.stdin
    if os.environ.get("ASYLON_MASTER_KEY") or os.environ.get("ASYLON_MASTER_KEY_FILE"):
        raise MasterKeyError(
            "The master key was asked for at the prompt but ASYLON_MASTER_KEY or ASYLON_MASTER_KEY_FILE is set "
            "too: give it one way only."
        )
    if not stdin.isatty():
        raise MasterKeyError(
            "The master key prompt needs a terminal, and there is none (a service, a pipe or a redirect). "
            "Supply the key in ASYLON_MASTER_KEY_FILE instead (docs/keys.md, 'The master key')."
        )
    try:
        secret = read_secret("Asylon master key (not shown): ").strip().encode()
    except (EOFError, KeyboardInterrupt):
        raise MasterKeyError("No master key was entered.") from None
    if not secret:
        raise MasterKeyError("No master key was entered.")
    master = MasterAead(secret)  # refuses a key too short to be one
    keys_dir = environment.data_dir() / "keys"
    if keysets.keyset_path(keys_dir, keysets.FIELD).exists() and keysets.is_sealed(keys_dir, keysets.FIELD):
        keysets.read_keyset(keys_dir, keysets.FIELD, master, allow_cleartext=False)  # a mistyped key stops here
    return secret


def hand_on(secret: bytes) -> int:
    """Keep the key in an anonymous in-memory file this process and its children read; return its descriptor."""
    descriptor = os.memfd_create("asylon-master-key", os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
    os.write(descriptor, secret)
    # No process that inherits it can change or extend the key.
    fcntl.fcntl(
        descriptor, fcntl.F_ADD_SEALS, fcntl.F_SEAL_WRITE | fcntl.F_SEAL_GROW | fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_SEAL
    )
    os.set_inheritable(descriptor, True)
    os.environ["ASYLON_MASTER_KEY_FILE"] = f"/proc/self/fd/{descriptor}"
    os.environ[FD_VARIABLE] = str(descriptor)
    os.environ.pop(PROMPT_VARIABLE, None)  # the server and worker started from here read the file, not a prompt
    return descriptor


def inherited_descriptors() -> tuple[int, ...]:
    """The in-memory key file's descriptor, for `subprocess.Popen(pass_fds=…)`; empty when none was handed on."""
    value = os.environ.get(FD_VARIABLE, "")
    return (int(value),) if value.isdigit() else ()
