"""The systemd units and shell scripts in deploy/ are valid as shipped (systemd-analyze, sh -n)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
SCRIPTS = ["render-config.sh", "asylon-manage", "asylon-unlock", "backup/asylon-backup"]
SCRIPTS += ["backup/offsite-rsync", "backup/offsite-rclone"]
# The programs the units start exist only on a deployed machine; verify the units with a stand-in.
INSTALLED_PROGRAMS = ("/opt/asylon/venv/bin/gunicorn", "/opt/asylon/venv/bin/asylon", "/usr/local/sbin/asylon-backup")


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_the_systemd_units_verify(tmp_path):
    units = sorted((DEPLOY / "systemd").iterdir())
    for unit in units:
        text = unit.read_text()
        for program in INSTALLED_PROGRAMS:
            text = text.replace(program, "/bin/true")
        (tmp_path / unit.name).write_text(text)

    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *(f"./{unit.name}" for unit in units)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr
    assert {unit.name for unit in units} == {
        "asylon-web.service",
        "asylon-worker.service",
        "asylon-backup.service",
        "asylon-backup.timer",
    }


def test_the_units_start_what_deploy_ships_and_docs_install():
    web = (DEPLOY / "systemd" / "asylon-web.service").read_text()
    backup = (DEPLOY / "systemd" / "asylon-backup.service").read_text()
    docs = (DEPLOY.parent / "docs" / "deploy.md").read_text()

    assert "ExecStart=/opt/asylon/venv/bin/gunicorn -c /etc/asylon/gunicorn.conf.py" in web
    assert "install -m 0644 deploy/gunicorn.conf.py /etc/asylon/gunicorn.conf.py" in docs
    assert "ExecStart=/usr/local/sbin/asylon-backup" in backup
    assert "deploy/backup/asylon-backup" in docs


@pytest.mark.parametrize("script", SCRIPTS)
def test_the_shell_scripts_parse_and_are_executable(script):
    path = DEPLOY / script

    assert path.stat().st_mode & 0o111, f"{script} is not executable"
    assert path.read_text().startswith("#!/bin/sh\n")
    result = subprocess.run(["sh", "-n", str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
