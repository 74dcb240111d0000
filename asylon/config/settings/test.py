"""Test settings: a temporary data directory with sealed keysets, fast hashing, huey in immediate mode.

ASYLON_TEST_DATABASE_URL switches the suite to PostgreSQL and ASYLON_TEST_REDIS_URL huey and the
cache to Redis (DESIGN.md, "Tests and CI").
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

if not os.environ.get("ASYLON_DATA_DIR"):
    os.environ["ASYLON_DATA_DIR"] = tempfile.mkdtemp(prefix="asylon-test-")

from asylon.config.settings.base import *  # noqa: F403
from asylon.config.settings.base import database_settings, huey_settings, logging_settings

DATA_DIR = Path(os.environ["ASYLON_DATA_DIR"])
for _sub in ("keys", "media", "logs", "backups", "static"):
    (DATA_DIR / _sub).mkdir(parents=True, exist_ok=True)
ASYLON_KEYS_DIR = DATA_DIR / "keys"
MEDIA_ROOT = DATA_DIR / "media"
STATIC_ROOT = DATA_DIR / "static"
if not os.environ.get("ASYLON_MASTER_KEY"):
    os.environ["ASYLON_MASTER_KEY"] = "test-master-key-" + "x" * 32
ASYLON_DEMO = False

SECRET_KEY = "test-secret-key-not-for-production-" + "t" * 40
DEBUG = False
ALLOWED_HOSTS = ["localhost", "testserver", "127.0.0.1"]

_TEST_DATABASE_URL = os.environ.get("ASYLON_TEST_DATABASE_URL", "")
DATABASES = {"default": database_settings(_TEST_DATABASE_URL or f"sqlite:///{DATA_DIR / 'asylon.sqlite3'}")}
if not _TEST_DATABASE_URL:
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}

REDIS_URL = os.environ.get("ASYLON_TEST_REDIS_URL", "") if _TEST_DATABASE_URL else ""
HUEY = huey_settings(REDIS_URL, DATA_DIR, immediate=True)
if REDIS_URL:
    HUEY["immediate_use_memory"] = False  # run tasks immediately, but through Redis
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
        "progress": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "progress",
        },
    }

MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True  # the browser tests run on http://localhost
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; a test checks production's Argon2
ASYLON_INTAKE_ARGON2 = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}  # speed; a test checks production's
ASYLON_INTAKE_ALTCHA_MAX_NUMBER = 50  # minimal proof of work
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = logging_settings(DATA_DIR / "logs", os.environ.get("ASYLON_LOG_LEVEL", "DEBUG"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def _prepare_test_keysets() -> None:
    from asylon.common.crypto.keysets import ensure_keysets
    from asylon.common.crypto.master import MasterAead

    ensure_keysets(ASYLON_KEYS_DIR, MasterAead(os.environ["ASYLON_MASTER_KEY"].encode()))


_prepare_test_keysets()
