"""Production settings refuse unsafe configurations and say why (each check in a fresh interpreter)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[3]


def load_production_settings(tmp_path: Path, **environment: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ASYLON_", "DJANGO_"))}
    env.update({"ASYLON_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "asylon.config.settings.production"})
    env.update(environment)
    code = "import django; django.setup(); from asylon.common.crypto.keyring import keyring; keyring()"
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPOSITORY, timeout=60
    )


def prepare(tmp_path: Path, **environment: str) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ASYLON_", "DJANGO_"))}
    env.update({"ASYLON_DATA_DIR": str(tmp_path)}, **environment)
    code = "from asylon.bootstrap import prepare_data_dir; prepare_data_dir()"
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=REPOSITORY, timeout=60)


MASTER = "m" * 40


def test_refuses_debug(tmp_path):
    prepare(tmp_path, ASYLON_MASTER_KEY=MASTER)
    result = load_production_settings(tmp_path, ASYLON_MASTER_KEY=MASTER, DJANGO_DEBUG="1")
    assert result.returncode != 0
    assert "DEBUG is on" in result.stderr


def test_refuses_missing_secret_key(tmp_path):
    result = load_production_settings(tmp_path, ASYLON_MASTER_KEY=MASTER)
    assert result.returncode != 0
    assert "No usable secret key" in result.stderr


@pytest.mark.parametrize("secret", ["short", "django-insecure-" + "x" * 60])
def test_refuses_default_or_weak_secret(tmp_path, secret):
    result = load_production_settings(tmp_path, ASYLON_SECRET_KEY=secret)
    assert result.returncode != 0
    assert "No usable secret key" in result.stderr


def test_refuses_cleartext_keysets_outside_demo(tmp_path):
    prepare(tmp_path, ASYLON_DEMO="1")
    result = load_production_settings(tmp_path)
    assert result.returncode != 0
    assert "cleartext" in result.stderr
    assert "ASYLON_DEMO=1" in result.stderr


def test_demo_allows_cleartext_keysets_and_warns(tmp_path):
    prepare(tmp_path, ASYLON_DEMO="1")
    result = load_production_settings(tmp_path, ASYLON_DEMO="1")
    assert result.returncode == 0, result.stderr
    assert "DEMONSTRATION MODE" in result.stderr


def test_sealed_keysets_need_the_master_key(tmp_path):
    prepare(tmp_path, ASYLON_MASTER_KEY=MASTER)
    assert load_production_settings(tmp_path, ASYLON_MASTER_KEY=MASTER).returncode == 0
    wrong = load_production_settings(tmp_path, ASYLON_MASTER_KEY="w" * 40)
    assert wrong.returncode != 0
    assert "does not open the keysets" in wrong.stderr
    missing = load_production_settings(tmp_path)
    assert "supply the master key" in missing.stderr


def test_bootstrap_refuses_without_master_key_or_demo(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ASYLON_", "DJANGO_"))}
    env["ASYLON_DATA_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "asylon.cli", "quickstart", "--no-serve"],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPOSITORY,
        timeout=60,
    )
    assert result.returncode != 0
    assert "No master key" in result.stderr


def test_keys_directory_is_private(tmp_path):
    prepare(tmp_path, ASYLON_MASTER_KEY=MASTER)
    assert (tmp_path / "keys").stat().st_mode & 0o777 == 0o700
    for key_file in (tmp_path / "keys").iterdir():
        assert key_file.stat().st_mode & 0o777 == 0o600
