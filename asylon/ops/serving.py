"""Runs the web server and the huey worker in the foreground; Ctrl-C stops both.

Both are our own programs started with fixed argument lists, never through a shell.
"""

from __future__ import annotations

import signal

# subprocess starts our own server and worker with fixed argument lists, never a shell.
import subprocess  # nosec B404
import sys
import time

from asylon.config.master_prompt import inherited_descriptors

POLL_SECONDS = 0.5


def serve(*, bind: str, workers: int = 2) -> int:
    """Start gunicorn and the huey worker; return when either stops or on Ctrl-C.

    A master key typed at the prompt reaches both through its in-memory file's inherited descriptor.
    """
    processes = [
        subprocess.Popen(  # noqa: S603  # nosec B603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "asylon.config.wsgi:application",
                "--bind",
                bind,
                "--workers",
                str(workers),
                "--threads",
                "4",
                "--graceful-timeout",
                "5",
            ],
            pass_fds=inherited_descriptors(),
        ),
        subprocess.Popen(  # nosec B603
            [sys.executable, "-m", "asylon.cli", "run_huey", "--workers", "2"], pass_fds=inherited_descriptors()
        ),
    ]
    try:
        while all(process.poll() is None for process in processes):
            time.sleep(POLL_SECONDS)
    except KeyboardInterrupt:
        pass
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
    return max(process.returncode or 0 for process in processes)
