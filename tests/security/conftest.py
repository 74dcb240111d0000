"""Fixtures for the security tests: a private copy of the keysets for tests that rotate or seal keys."""

from __future__ import annotations

import shutil

import pytest

from asylon.common.crypto.keyring import reset_keyring


@pytest.fixture
def isolated_keys(settings, tmp_path):
    """A copy of the test keysets in a temporary directory, so that a rotation leaves other tests' keys alone."""
    keys_dir = tmp_path / "keys"
    shutil.copytree(settings.ASYLON_KEYS_DIR, keys_dir)
    settings.ASYLON_KEYS_DIR = keys_dir
    reset_keyring()
    yield keys_dir
    reset_keyring()
