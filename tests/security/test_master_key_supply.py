"""The master key supplied at start: environment variable, mounted file, or a prompt at a terminal.

The prompt runs in a real pseudo-terminal (`pty.fork`) as an operator would type it: the key is
not echoed, opens the keysets, and reaches the processes the command starts. Without a terminal,
beside another source, or mistyped, the prompt is refused before Django starts.
"""

from __future__ import annotations

import io
import os
import pty
import secrets
import select
import subprocess
import sys
from pathlib import Path

import pytest

from asylon.common.crypto.master import MasterKeyError
from asylon.config import environment
from asylon.config.master_prompt import ask_master_key, hand_on, prompt_requested

REPOSITORY = Path(__file__).resolve().parents[2]
MASTER_KEY = secrets.token_urlsafe(48)
CLEARED = {
    "ASYLON_DEMO",
    "ASYLON_MASTER_KEY",
    "ASYLON_MASTER_KEY_FILE",
    "ASYLON_MASTER_KEY_PROMPT",
    "ASYLON_MASTER_KEY_FD",
    "ASYLON_DATABASE_URL",
    "ASYLON_DATA_DIR",
    "ASYLON_SECRET_KEY",
    "DJANGO_SETTINGS_MODULE",
}
# Opens the keysets in this process, then reads the key again in a process started as `asylon quickstart`
# starts its server and worker.
OPEN_KEYSETS = (
    "import subprocess, sys; from asylon.common.crypto.keyring import keyring; "
    "from asylon.config.master_prompt import inherited_descriptors; "
    "print('primary key', keyring().primary_key_id); "
    "subprocess.run([sys.executable, '-c', 'from asylon.config import environment; "
    'print("child key length", len(environment.master_key()))\'], pass_fds=inherited_descriptors(), check=True)'
)


def clean_environment(data_dir: Path, **extra: str) -> dict[str, str]:
    variables = {name: value for name, value in os.environ.items() if name not in CLEARED}
    return {**variables, "ASYLON_DATA_DIR": str(data_dir), **extra}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    """A production data directory whose keysets are sealed under MASTER_KEY."""
    directory = tmp_path_factory.mktemp("supply") / "data"
    subprocess.run(
        [sys.executable, "-c", "from asylon.bootstrap import prepare_data_dir; prepare_data_dir()"],
        env=clean_environment(directory, ASYLON_MASTER_KEY=MASTER_KEY),
        cwd=REPOSITORY,
        check=True,
        timeout=120,
    )
    return directory


def asylon(arguments: list[str], environment_variables: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "asylon.cli", *arguments],
        env=environment_variables,
        cwd=REPOSITORY,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        start_new_session=True,  # no controlling terminal, as under a service manager
    )


def at_a_terminal(arguments: list[str], environment_variables: dict[str, str], typed: str) -> tuple[int, str]:
    """Run `asylon` in a pseudo-terminal, type `typed` at the prompt; return the exit status and all it showed."""
    pid, terminal = pty.fork()
    if pid == 0:  # the child: the operator's shell running the command
        os.chdir(REPOSITORY)
        os.execve(sys.executable, [sys.executable, "-m", "asylon.cli", *arguments], environment_variables)
    shown = b""
    typed_already = False
    while True:
        ready, _, _ = select.select([terminal], [], [], 60)
        if not ready:
            os.kill(pid, 9)
            break
        try:
            chunk = os.read(terminal, 4096)
        except OSError:  # the terminal closed: the command ended
            break
        if not chunk:
            break
        shown += chunk
        if not typed_already and b"master key" in shown:
            os.write(terminal, typed.encode() + b"\n")
            typed_already = True
    _, status = os.waitpid(pid, 0)
    os.close(terminal)
    return os.waitstatus_to_exitcode(status), shown.decode(errors="replace")


def test_a_key_typed_at_the_prompt_is_not_echoed_opens_the_keysets_and_reaches_child_processes(data_dir):
    code, shown = at_a_terminal(
        ["--ask-master-key", "shell", "-c", OPEN_KEYSETS], clean_environment(data_dir), MASTER_KEY
    )

    assert code == 0, shown
    assert "Asylon master key (not shown):" in shown
    assert "primary key" in shown
    assert f"child key length {len(MASTER_KEY)}" in shown
    assert MASTER_KEY not in shown
    written = [path for path in data_dir.rglob("*") if path.is_file()]
    assert written and not any(MASTER_KEY.encode() in path.read_bytes() for path in written)  # logs included


def test_the_prompt_variable_asks_too_and_a_mistyped_key_is_refused_before_anything_starts(data_dir):
    code, shown = at_a_terminal(
        ["shell", "-c", OPEN_KEYSETS], clean_environment(data_dir, ASYLON_MASTER_KEY_PROMPT="1"), "w" * 48
    )

    assert code != 0
    assert "The master key does not open the keysets" in shown
    assert "primary key" not in shown and "w" * 48 not in shown


def test_the_prompt_is_refused_without_a_terminal(data_dir):
    result = asylon(["--ask-master-key", "shell", "-c", OPEN_KEYSETS], clean_environment(data_dir))

    assert result.returncode != 0
    assert "The master key prompt needs a terminal, and there is none" in result.stderr
    assert "primary key" not in result.stdout


def test_the_prompt_is_refused_beside_another_source_of_the_key(data_dir):
    result = asylon(
        ["shell", "-c", OPEN_KEYSETS],
        clean_environment(data_dir, ASYLON_MASTER_KEY_PROMPT="1", ASYLON_MASTER_KEY=MASTER_KEY),
    )

    assert result.returncode != 0
    assert "give it one way only" in result.stderr


def test_a_mounted_key_file_opens_the_keysets_and_a_missing_one_is_named(data_dir, tmp_path):
    key_file = tmp_path / "master-key"
    key_file.write_text(MASTER_KEY + "\n", encoding="utf-8")
    key_file.chmod(0o400)

    opened = asylon(["shell", "-c", OPEN_KEYSETS], clean_environment(data_dir, ASYLON_MASTER_KEY_FILE=str(key_file)))
    missing = asylon(
        ["shell", "-c", OPEN_KEYSETS], clean_environment(data_dir, ASYLON_MASTER_KEY_FILE=str(tmp_path / "absent"))
    )

    assert opened.returncode == 0, opened.stderr
    assert f"child key length {len(MASTER_KEY)}" in opened.stdout
    assert missing.returncode != 0
    assert f"asylon: Cannot read the master key file {tmp_path / 'absent'} (ASYLON_MASTER_KEY_FILE)" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_the_environment_variable_is_read_and_stripped(monkeypatch):
    monkeypatch.setenv("ASYLON_MASTER_KEY", f"  {MASTER_KEY}\n")
    monkeypatch.delenv("ASYLON_MASTER_KEY_FILE", raising=False)

    assert environment.master_key() == MASTER_KEY.encode()


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_ask_refuses_an_empty_or_short_key(monkeypatch):
    monkeypatch.delenv("ASYLON_MASTER_KEY", raising=False)
    monkeypatch.delenv("ASYLON_MASTER_KEY_FILE", raising=False)

    with pytest.raises(MasterKeyError, match="No master key was entered"):
        ask_master_key(stdin=FakeTerminal(), read_secret=lambda prompt: "  ")
    with pytest.raises(MasterKeyError, match="at least 32 characters"):
        ask_master_key(stdin=FakeTerminal(), read_secret=lambda prompt: "short")


def test_the_option_is_taken_out_of_the_command_line(monkeypatch):
    monkeypatch.delenv("ASYLON_MASTER_KEY_PROMPT", raising=False)

    assert prompt_requested(["--ask-master-key", "quickstart", "--no-serve"]) == (True, ["quickstart", "--no-serve"])
    assert prompt_requested(["keys", "status"]) == (False, ["keys", "status"])


def test_gunicorn_refuses_to_ask_for_the_master_key(data_dir):
    result = subprocess.run(
        [sys.executable, "-c", "import asylon.config.wsgi"],
        env=clean_environment(data_dir, ASYLON_MASTER_KEY_PROMPT="1"),
        cwd=REPOSITORY,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "gunicorn cannot ask for the master key" in result.stderr


def test_gunicorn_workers_do_not_boot_with_a_wrong_master_key(data_dir):
    def boot(master_key: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", "import asylon.config.wsgi"],
            env=clean_environment(data_dir, ASYLON_MASTER_KEY=master_key),
            cwd=REPOSITORY,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert boot(MASTER_KEY).returncode == 0
    wrong = boot(secrets.token_urlsafe(48))
    assert wrong.returncode != 0
    assert "The master key does not open the keysets" in wrong.stderr


def test_the_worker_does_not_start_with_a_wrong_master_key(data_dir):
    result = asylon(["run_huey"], clean_environment(data_dir, ASYLON_MASTER_KEY=secrets.token_urlsafe(48)))

    assert result.returncode != 0
    assert "The master key does not open the keysets" in result.stderr and "Traceback" not in result.stderr


def test_the_key_handed_on_cannot_be_changed_by_a_child(monkeypatch):
    monkeypatch.delenv("ASYLON_MASTER_KEY", raising=False)
    for name in ("ASYLON_MASTER_KEY_FILE", "ASYLON_MASTER_KEY_FD"):
        monkeypatch.setenv(name, "")  # so that monkeypatch removes what hand_on sets afterwards
    descriptor = hand_on(MASTER_KEY.encode())
    try:
        assert environment.master_key() == MASTER_KEY.encode()
        with pytest.raises(PermissionError):
            os.pwrite(descriptor, b"x", 0)
    finally:
        os.close(descriptor)
