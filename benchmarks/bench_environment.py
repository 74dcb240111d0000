"""The environment every benchmark sets before Django starts: a data directory (kept between runs
when given), the test settings, quiet logs, no Redis, and SQLite unless a database URL is given."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent


def benchmark_environment(*, data_dir: str, database_url: str, prefix: str) -> str:
    """Set the environment variables for Django; returns the data directory used."""
    os.environ["ASYLON_DATA_DIR"] = data_dir or tempfile.mkdtemp(prefix=prefix)
    os.environ["DJANGO_SETTINGS_MODULE"] = "asylon.config.settings.test"
    os.environ.setdefault("ASYLON_LOG_LEVEL", "WARNING")
    os.environ.pop("ASYLON_TEST_REDIS_URL", None)
    if database_url:
        os.environ["ASYLON_TEST_DATABASE_URL"] = database_url
    else:
        os.environ.pop("ASYLON_TEST_DATABASE_URL", None)
    sys.path.insert(0, str(REPOSITORY))  # tests.factories and the benchmarks' own helpers
    return os.environ["ASYLON_DATA_DIR"]
