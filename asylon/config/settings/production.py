"""Production settings (manage.py, the asylon CLI, make run and make demo): refuse unsafe configurations."""

from __future__ import annotations

import os
import sys

from django.core.exceptions import ImproperlyConfigured

from asylon.config.settings.base import *  # noqa: F403
from asylon.config.settings.base import ASYLON_DEMO, ASYLON_INSECURE_LOCALHOST, ASYLON_KEYS_DIR
from asylon.config.settings.secret import MIN_SECRET_LENGTH, read_secret_key

DEBUG = os.environ.get("DJANGO_DEBUG", "") not in {"", "0", "false", "False"}
if DEBUG:
    raise ImproperlyConfigured("DEBUG is on in production settings: unset DJANGO_DEBUG. Debug pages leak data.")

SECRET_KEY = read_secret_key(ASYLON_KEYS_DIR)
if len(SECRET_KEY) < MIN_SECRET_LENGTH or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured(
        "No usable secret key: run `asylon quickstart` to create one in the data directory's keys/, "
        f"or set ASYLON_SECRET_KEY to a random value of at least {MIN_SECRET_LENGTH} characters."
    )

if ASYLON_DEMO:
    print(
        "\n*** ASYLON_DEMO=1: DEMONSTRATION MODE. Keysets may be stored in cleartext beside the data. "
        "Never enter real cases into this instance. ***\n",
        file=sys.stderr,
    )

if ASYLON_INSECURE_LOCALHOST:
    SECURE_SSL_REDIRECT = False
    SECURE_HSTS_SECONDS = 0
    SESSION_COOKIE_SECURE = False
    CSRF_COOKIE_SECURE = False
    SESSION_COOKIE_NAME = "asylon_session"
    CSRF_COOKIE_NAME = "asylon_csrftoken"
else:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 63072000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-asylon_session"
    CSRF_COOKIE_NAME = "__Host-asylon_csrftoken"
