"""Settings shared by production and test; everything site-specific comes from ASYLON_* variables."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from asylon.config import environment

PACKAGE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = environment.data_dir()
ASYLON_KEYS_DIR = DATA_DIR / "keys"
ASYLON_DEMO = environment.flag("ASYLON_DEMO")
ASYLON_INSECURE_LOCALHOST = environment.flag("ASYLON_INSECURE_LOCALHOST")

DEBUG = False
ALLOWED_HOSTS = [host for host in os.environ.get("ASYLON_ALLOWED_HOSTS", "localhost").split(",") if host]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",  # allauth's passkey list page loads it
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "rules",
    "django_htmx",
    "template_partials",
    "huey.contrib.djhuey",
    "auditlog",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "django_filters",
    "asylon.common",
    "asylon.accounts",
    "asylon.audit",
    "asylon.vocab",
    "asylon.people",
    "asylon.cases",
    "asylon.evidence",
    "asylon.reports",
    "asylon.ops",
    "asylon.api",
    "asylon.intake",
    "asylon.orgsecurity",
    "asylon.orgadmin",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "asylon.common.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "asylon.intake.privacy.PublicIntakeMiddleware",  # /help/: body cap, in-memory uploads, no session cookie, no-store
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "asylon.audit.middleware.AuditMiddleware",  # client address for entries, one read entry per request
    "asylon.common.private_responses.PrivateResponseMiddleware",  # no-store when signed in; Clear-Site-Data on sign-out
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "asylon.accounts.middleware.SessionTimeoutMiddleware",
    "asylon.accounts.middleware.OneTimePasswordMiddleware",
    "asylon.accounts.middleware.MFAEnrolmentMiddleware",
    "asylon.accounts.denials.DeniedAccessAuditMiddleware",  # refusals (PermissionDenied) to the audit log
    "axes.middleware.AxesMiddleware",  # last, as axes requires
]

ROOT_URLCONF = "asylon.config.urls"
WSGI_APPLICATION = "asylon.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "asylon.common.context_processors.instance",
                "asylon.common.context_processors.language_links",
            ],
        },
    }
]


def database_settings(url: str) -> dict:
    """Django DATABASES['default'] for a SQLite or PostgreSQL URL, with the pragmas SQLite needs."""
    config: dict = dict(dj_database_url.parse(url, conn_max_age=0))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
    return config


DATABASES = {"default": database_settings(environment.database_url(DATA_DIR))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out logins before any password check
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "asylon.accounts.adapter.AccountAdapter"
ACCOUNT_USER_DISPLAY = "asylon.accounts.adapter.user_display"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_REAUTHENTICATION_REQUIRED = True  # changing email addresses or password asks for the password again
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False

# Second factors (docs/security/authentication.md). MFAEnrolmentMiddleware forces enrolment.
MFA_ADAPTER = "asylon.accounts.mfa.MFAAdapter"
MFA_FORMS = {
    "authenticate": "asylon.accounts.forms.PolicyAuthenticateForm",
    "reauthenticate": "asylon.accounts.forms.PolicyReauthenticateForm",
}
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "Asylon"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = ASYLON_INSECURE_LOCALHOST  # http://localhost only (make demo, tests)

# Lockout (django-axes): per login and client pair, keyed pseudonyms instead of addresses.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # successful logins go to the audit log, not to a table of addresses
AXES_USERNAME_CALLABLE = "asylon.accounts.lockout.login_pseudonym"
AXES_CLIENT_IP_CALLABLE = "asylon.accounts.lockout.client_pseudonym"
AXES_LOCKOUT_CALLABLE = "asylon.accounts.lockout.lockout_response"
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "login", "email", "code", "credential"]  # masked in the table

# Session limits, enforced by SessionTimeoutMiddleware.
ASYLON_SESSION_IDLE_MINUTES = int(os.environ.get("ASYLON_SESSION_IDLE_MINUTES", "30"))
ASYLON_SESSION_MAX_HOURS = int(os.environ.get("ASYLON_SESSION_MAX_HOURS", "12"))
SESSION_COOKIE_AGE = ASYLON_SESSION_MAX_HOURS * 3600

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("be", _("Belarusian")),
    ("ru", _("Russian")),
    ("uk", _("Ukrainian")),
    ("lt", _("Lithuanian")),
]
# Our catalogues first; then catalogues for third-party apps in languages they do not ship
# (django-allauth has no Belarusian). docs/i18n.md.
LOCALE_PATHS = [PACKAGE_DIR / "locale", PACKAGE_DIR / "locale_thirdparty"]
TIME_ZONE = "Europe/Vilnius"
USE_I18N = True
FORMAT_MODULE_PATH = ["asylon.formats"]  # Belarusian dates and numbers (Django ships no be formats)
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]  # asylon/static/asylon/: the stylesheets and vendored htmx
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

EMAIL_URL = os.environ.get("ASYLON_EMAIL_URL", "")
DEFAULT_FROM_EMAIL = os.environ.get("ASYLON_EMAIL_FROM") or "asylon@localhost"
# Reminders (docs/deadlines.md, "Reminders"): a daily email at ASYLON_REMINDER_HOUR (TIME_ZONE) counting
# what is due within ASYLON_REMINDER_DAYS days or overdue; 0 turns reminders off. Links use ASYLON_BASE_URL.
ASYLON_BASE_URL = environment.base_url()
ASYLON_REMINDER_DAYS = environment.integer_setting("ASYLON_REMINDER_DAYS", 7)
ASYLON_REMINDER_HOUR = environment.integer_setting("ASYLON_REMINDER_HOUR", 6)
if EMAIL_URL.startswith("smtp"):
    from urllib.parse import unquote, urlsplit

    _email = urlsplit(EMAIL_URL)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname or "localhost"
    EMAIL_PORT = _email.port or 587
    EMAIL_HOST_USER = unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email.password or "")
    EMAIL_USE_TLS = _email.scheme == "smtp+tls"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"

REDIS_URL = os.environ.get("ASYLON_REDIS_URL", "")


def huey_settings(redis_url: str, data_dir: Path, immediate: bool = False) -> dict:
    """SqliteHuey in the data directory by default; RedisHuey when ASYLON_REDIS_URL is set."""
    if redis_url:
        return {"huey_class": "huey.RedisHuey", "name": "asylon", "url": redis_url, "immediate": immediate}
    return {
        "huey_class": "huey.SqliteHuey",
        "name": "asylon",
        "filename": str(data_dir / "huey.sqlite3"),
        "immediate": immediate,
    }


HUEY = huey_settings(REDIS_URL, DATA_DIR)

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Import progress (counts only), shared by the worker and the web processes.
CACHES["progress"] = (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "progress"}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache" / "progress"),
    }
)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Not "no-referrer": with it Chromium sends `Origin: null` on same-origin form posts and CSRF refuses them.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Where SECURE_SSL_REDIRECT is on (production), the API is not redirected but refuses plain HTTP
# (asylon/api/views/base.py): a redirect comes after the bearer token has crossed the network in the clear.
SECURE_REDIRECT_EXEMPT = [r"^api/"]
# Strict CSP (docs/security/http.md): no inline script or style, no eval, no other origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],  # the nonce appears when a page uses request.csp_nonce
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}


def logging_settings(logs_dir: Path, level: str) -> dict:
    """Console logging, plus a file in the data directory's logs/ when it exists. Log ids, never personal values."""
    redacting = ["invitation_secrets"]
    handlers: dict = {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": redacting}}
    if logs_dir.is_dir():
        handlers["file"] = {
            "class": "logging.handlers.WatchedFileHandler",
            "filename": str(logs_dir / "asylon.log"),
            "formatter": "plain",
            "filters": redacting,
        }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"invitation_secrets": {"()": "asylon.common.log_redaction.InvitationSecretFilter"}},
        "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
        "handlers": handlers,
        "root": {"handlers": list(handlers), "level": level},
    }


LOGGING = logging_settings(DATA_DIR / "logs", os.environ.get("ASYLON_LOG_LEVEL", "INFO"))

ASYLON_MAX_DOCUMENT_BYTES = int(os.environ.get("ASYLON_MAX_DOCUMENT_BYTES", str(25 * 1024 * 1024)))

# Public intake (docs/intake.md): the organisation /help/ serves (its slug; unset: the only one), and the
# Argon2id cost of the codename verifier (RFC 9106's low-memory profile: 64 MiB, 3 passes, 4 lanes).
ASYLON_INTAKE_ORGANISATION = os.environ.get("ASYLON_INTAKE_ORGANISATION", "")
ASYLON_INTAKE_ARGON2 = {"time_cost": 3, "memory_cost": 65536, "parallelism": 4}
# The public form's limits (docs/intake.md, "The public form"): its request body, and the altcha proof of work
# (a browser tries max_number / 2 SHA-256 hashes on average).
ASYLON_INTAKE_MAX_REQUEST_BYTES = environment.integer_setting("ASYLON_INTAKE_MAX_REQUEST_BYTES", 32 * 1024 * 1024)
ASYLON_INTAKE_ALTCHA_MAX_NUMBER = environment.integer_setting("ASYLON_INTAKE_ALTCHA_MAX_NUMBER", 100_000)

# Audit (docs/security/audit.md): client addresses only through these proxies' X-Forwarded-For.
ASYLON_TRUSTED_PROXIES = [
    proxy.strip() for proxy in os.environ.get("ASYLON_TRUSTED_PROXIES", "").split(",") if proxy.strip()
]
# django-auditlog feeds the chained AuditEntry through a table-less model; encrypted values are masked.
AUDITLOG_LOGENTRY_MODEL = "audit.CapturedChange"
AUDITLOG_MASK_CALLABLE = "asylon.audit.capture.mask_changed"
AUDITLOG_DISABLE_REMOTE_ADDR = True
AUDITLOG_DISABLE_ON_RAW_SAVE = True
MIGRATION_MODULES = {"auditlog": None}  # no auditlog_logentry table: its LogEntry is swapped for ours

# REST API (docs/api.md): bearer tokens only (no session, no basic auth, so no CSRF surface), JSON only.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["asylon.api.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["asylon.api.permissions.TokenScope"],
    "DEFAULT_THROTTLE_CLASSES": [
        "asylon.api.throttles.TokenRateThrottle",
        "asylon.api.throttles.AnonymousRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "token": os.environ.get("ASYLON_API_TOKEN_RATE", "1200/hour"),
        "anonymous": os.environ.get("ASYLON_API_ANONYMOUS_RATE", "60/hour"),
    },
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "asylon.api.pagination.NewestFirst",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "asylon.api.schema.ApiSchema",
    "EXCEPTION_HANDLER": "asylon.api.errors.api_exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Asylon API",
    "DESCRIPTION": "Cases, persons, events, decisions, document metadata, vocabularies and statistics of one "
    "organisation, with the permissions and audit of the web pages. Authenticate with an API token: "
    "`Authorization: Bearer asy_...` (docs/api.md).",
    "VERSION": "v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SORT_OPERATIONS": False,
}
