"""The public help pages leave no trace of who used them (issue 7, docs/intake.md "The public form").

A person sends the form, opens the status page, sends more and mistypes the codename, from a unique address (once
directly, once through a trusted proxy's X-Forwarded-For) and with a unique User-Agent. Then everything an
adversary could seize is read: the log files of the data directory and every log record emitted meanwhile, the
audit table, a full dump of the database (SQLite's iterdump or pg_dump), the huey store (SQLite files, or Redis),
and the cache's keys and values. Neither address, nor the User-Agent, nor the codename, nor a word of what was
typed may occur in any of them.

A control request to a staff page from another unique address, through the same proxy, must be found in the audit
table and in the dump: it proves that the scan reads the places where an address would be.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import subprocess
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import Client

from asylon.audit.models import AuditEntry
from asylon.intake import abuse
from asylon.intake.models import IntakeMessage, IntakeSubmission
from tests.factories import case_with_member, sign_in, staff
from tests.security.plaintext_scan import Artefact, Needle, needles_for_text, scan

PG_DUMP = "/usr/bin/pg_dump"
PROXY = "10.77.0.1"
FORM_TEXT = {
    "name": "Зміцер Канапелька",
    "contact": "threema: KZ8P4QWX",
    "text": "Прыйшла позва ад ваенкамата Ваўкавыска; баюся экстрадыцыі.",
}
MESSAGE = "Суд прызначаны ў Маладзечне, адвакат Жыгімонтавіч."


def unique_ipv4() -> str:
    raw = uuid.uuid4().bytes
    return f"198.18.{raw[0]}.{1 + raw[1] % 250}"  # benchmarking range: never a real client


def unique_ipv6() -> str:
    return f"2001:db8:{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}::{uuid.uuid4().hex[:4]}"


class Collected(logging.Handler):
    """Every record emitted anywhere while the test runs, formatted with its arguments."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name} {record.levelname} {record.getMessage()} {record.__dict__!r}")


def bytes_of(directory: Path, since: dict[Path, int]) -> bytes:
    files = sorted(path for path in directory.rglob("*") if path.is_file()) if directory.is_dir() else []
    return b"".join(path.read_bytes()[since.get(path, 0) :] for path in files)


def sizes(directory: Path) -> dict[Path, int]:
    return {path: path.stat().st_size for path in directory.rglob("*") if path.is_file()} if directory.is_dir() else {}


def database_dump() -> bytes:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return "\n".join(connection.connection.iterdump()).encode()
    url = urlsplit(os.environ["ASYLON_TEST_DATABASE_URL"])._replace(path="/" + connection.settings_dict["NAME"])
    return subprocess.run([PG_DUMP, "--no-owner", urlunsplit(url)], capture_output=True, check=True).stdout


def redis_contents() -> bytes:
    """Every key and value of the Redis database huey and the cache use (PostgreSQL runs)."""
    import redis

    store = redis.Redis.from_url(settings.REDIS_URL)
    parts: list[bytes] = []
    for key in store.scan_iter(count=1000):
        parts.append(key)
        kind = store.type(key)
        if kind == b"string":
            parts.append(store.get(key) or b"")
        elif kind == b"list":
            parts.extend(store.lrange(key, 0, -1))
        elif kind == b"set":
            parts.extend(store.smembers(key))
        elif kind == b"zset":
            parts.extend(member for member, _score in store.zrange(key, 0, -1, withscores=True))
        elif kind == b"hash":
            for field, value in store.hgetall(key).items():
                parts.extend([field, value])
    return b"\n".join(parts)


def cache_contents() -> bytes:
    """The keys and values of every configured cache that lives in this process or the data directory."""
    parts: list[bytes] = []
    for alias in settings.CACHES:
        backend = caches[alias]
        store = getattr(backend, "_cache", None)
        if isinstance(store, dict):  # LocMemCache: keys and pickled values
            for key, value in store.items():
                parts.append(str(key).encode())
                parts.append(value if isinstance(value, bytes) else pickle.dumps(value))
                if isinstance(value, bytes):
                    with contextlib.suppress(Exception):
                        parts.append(repr(pickle.loads(value)).encode())  # nosec B301: our own cache
    parts.append(bytes_of(Path(settings.DATA_DIR) / "cache", {}))
    return b"\n".join(parts)


def audit_table() -> bytes:
    rows = AuditEntry.objects.values_list(
        "action", "target_type", "target_id", "details", "changed_fields", "remote_address"
    )
    return "\n".join(repr(row) for row in rows).encode()


def use_the_help_pages(client: Client, headers: dict[str, str]) -> str:
    """The whole public journey; returns the codename."""
    from asylon.intake.tests.views.test_public import submitted_codename

    assert client.get("/help/", **headers).status_code == 200
    challenge = client.get("/help/altcha/", **headers).json()
    response = client.post(
        "/be/help/",
        {**FORM_TEXT, "situations": ["detention"], "altcha": abuse.altcha_solution(challenge)},
        **headers,
    )
    assert response.status_code == 200, response.content.decode()[:1000]
    codename = submitted_codename(response)
    assert client.get("/help/status/", **headers).status_code == 200
    assert client.post("/help/status/", {"codename": codename}, **headers).status_code == 200
    assert client.post("/help/status/", {"codename": codename, "body": MESSAGE}, **headers).status_code == 200
    assert client.post("/help/status/", {"codename": "wrong-code-name-words"}, **headers).status_code == 200
    assert client.get("/help/no-such-organisation/", **headers).status_code == 404
    return codename


@pytest.fixture
def reference_data(transactional_db):
    from asylon.vocab.loading import load_reference_data

    load_reference_data()


@pytest.mark.django_db(transaction=True)
def test_the_help_pages_leave_no_address_user_agent_or_codename_anywhere(reference_data, settings, tmp_path):
    from tests.factories import OrganisationFactory

    settings.ASYLON_TRUSTED_PROXIES = [PROXY]
    settings.MEDIA_ROOT = tmp_path / "media"
    caches["default"].clear()
    organisation = OrganisationFactory()
    direct, proxied, control = unique_ipv4(), unique_ipv6(), unique_ipv4()
    agent = f"Mozilla/5.0 (PrivacyProbe {uuid.uuid4().hex})"
    logs_dir = Path(settings.DATA_DIR) / "logs"
    logs_before = sizes(logs_dir)
    collected = Collected()
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(collected)
    root.setLevel(logging.DEBUG)
    try:
        codenames = [
            use_the_help_pages(Client(REMOTE_ADDR=direct), {"HTTP_USER_AGENT": agent}),
            use_the_help_pages(Client(REMOTE_ADDR=PROXY), {"HTTP_USER_AGENT": agent, "HTTP_X_FORWARDED_FOR": proxied}),
        ]
        # The control: a caseworker opens a case page through the same proxy, from another address.
        caseworker = staff(organisation)
        case = case_with_member(organisation, caseworker)
        staff_client = sign_in(Client(REMOTE_ADDR=PROXY), caseworker)
        page = staff_client.get(f"/cases/{case.pk}/", HTTP_X_FORWARDED_FOR=control, HTTP_USER_AGENT=agent)
        assert page.status_code == 200
        logging.getLogger("asylon.tests.intake_privacy").debug("log canary %s", "canary-" + control)
    finally:
        root.removeHandler(collected)
        root.setLevel(previous_level)

    assert IntakeSubmission.objects.count() == 2 and IntakeMessage.objects.count() == 2
    huey_files = b"".join(path.read_bytes() for path in sorted(Path(settings.DATA_DIR).glob("huey.sqlite3*")))
    contents = {
        "log files": bytes_of(logs_dir, logs_before),
        "log records": "\n".join(collected.lines).encode(),
        "audit table": audit_table(),
        "database dump": database_dump(),
        "huey store": huey_files + (redis_contents() if settings.REDIS_URL else b""),
        "cache": cache_contents() + (redis_contents() if settings.REDIS_URL else b""),
    }

    # The scan looks where an address would be: the control request's address is in the audit table and the dump,
    # and the log canary in the log files and records.
    assert AuditEntry.objects.filter(remote_address=control).exists()
    for artefact in ("audit table", "database dump"):
        assert control.encode() in contents[artefact], f"the control address is not in the {artefact}"
    for artefact in ("log files", "log records"):
        assert f"canary-{control}".encode() in contents[artefact], f"the log canary is not in the {artefact}"
    assert b":1:intake:limit:" in contents["cache"], "the rate-limit counters are not where the scan reads the cache"

    network = str(abuse._network_of(proxied))
    needles = {
        Needle(value.casefold(), whole_word=False, secret=value)
        for value in (direct, proxied, network, agent, *codenames, *(name.replace("-", " ") for name in codenames))
    }
    needles |= {needle for text in [*FORM_TEXT.values(), MESSAGE] for needle in needles_for_text(text)}
    # The control address is expected in the audit artefacts; the probe's User-Agent is never recorded for anyone.
    findings = scan([Artefact(name, content) for name, content in contents.items()], needles)
    assert not findings, "found what the help pages must not leave:\n" + "\n".join(
        f"  {finding.artefact}: {finding.needle}" for finding in findings
    )
    assert not AuditEntry.objects.filter(action__startswith="intake.").exclude(remote_address=None).exists()
