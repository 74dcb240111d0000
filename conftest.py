"""Suite-wide pytest configuration: database selection markers."""

from __future__ import annotations

import os

import pytest

ON_POSTGRES = bool(os.environ.get("ASYLON_TEST_DATABASE_URL"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`sqlite_only` tests run once (in the SQLite run); `postgres_only` tests only on PostgreSQL."""
    for item in items:
        if ON_POSTGRES and item.get_closest_marker("sqlite_only"):
            item.add_marker(pytest.mark.skip(reason="runs in the SQLite run only"))
        if not ON_POSTGRES and item.get_closest_marker("postgres_only"):
            item.add_marker(pytest.mark.skip(reason="needs ASYLON_TEST_DATABASE_URL (PostgreSQL)"))
