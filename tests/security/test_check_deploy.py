"""`manage.py check --deploy` under production settings, as an operator would run it, reports nothing."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
UNSET = ("ASYLON_DEMO", "ASYLON_INSECURE_LOCALHOST", "ASYLON_DATABASE_URL", "ASYLON_SECRET_KEY", "DJANGO_DEBUG")
UNSET += ("DJANGO_ALLOW_ASYNC_UNSAFE",)  # set by the browser tests' session fixture; never in a deployment


def production_environment(data_dir: Path) -> dict[str, str]:
    environment = {name: value for name, value in os.environ.items() if name not in UNSET}
    environment.update(
        DJANGO_SETTINGS_MODULE="asylon.config.settings.production",
        ASYLON_DATA_DIR=str(data_dir),
        ASYLON_MASTER_KEY=secrets.token_urlsafe(48),
        ASYLON_ALLOWED_HOSTS="asylon.example.org",
    )
    return environment


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    environment = production_environment(tmp_path / "data")
    prepare = "from asylon.bootstrap import prepare_data_dir; prepare_data_dir()"
    subprocess.run([sys.executable, "-c", prepare], env=environment, cwd=REPOSITORY, check=True)

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
