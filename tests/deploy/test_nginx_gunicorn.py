"""nginx from Debian with the shipped configuration, in front of gunicorn with production settings (issue 8).

As an operator deploys it (docs/deploy.md), on loopback ports: a data directory prepared with sealed
keysets under a master key, migrations, gunicorn started with deploy/gunicorn.conf.py, the nginx site
and onion server rendered from deploy/nginx/ by deploy/render-config.sh (the substitution the docs
use), a self-signed certificate, and nginx inside an http block that repeats the lines of Debian's
nginx.conf our site must override (a combined access log with addresses, gzip, old TLS versions).
Then: the probe, the login page and its headers, the redirect to HTTPS, the API refused over plain
HTTP, nginx's own error responses, and the log policy: no line for the help pages and their static
files, a line for a staff page, no address or user agent anywhere, no access log from gunicorn.
"""

from __future__ import annotations

import datetime
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pyrage
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings
from pyrage import x25519

from asylon.common.middleware import PERMISSIONS_POLICY
from asylon.intake.privacy import max_request_bytes
from asylon.ops.imports.sources import MAX_UPLOAD_BYTES

pytestmark = pytest.mark.sqlite_only

REPOSITORY = Path(__file__).resolve().parents[2]
DEPLOY = REPOSITORY / "deploy"
NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)
HOST = "localhost"
ONION_NAME = "asylontest" + "a" * 46 + ".onion"
HSTS = "max-age=63072000; includeSubDomains; preload"
HELP_PATHS = ("/help/", "/be/help/", "/ru/help/status/", "/LT/HELP/")
HELP_STATIC = ("asylon/asylon.css", "intake/help.css", "intake/altcha-2.3.0/altcha.js")
UNSET = ("ASYLON_DEMO", "ASYLON_INSECURE_LOCALHOST", "ASYLON_DATABASE_URL", "ASYLON_SECRET_KEY", "DJANGO_DEBUG")
UNSET += ("DJANGO_ALLOW_ASYNC_UNSAFE", "ASYLON_REDIS_URL", "ASYLON_MASTER_KEY_FILE", "WEB_CONCURRENCY")
STARTUP_SECONDS = 30
TOO_LARGE = 64 * 1024 * 1024  # above every client_max_body_size: nginx answers 413 without reading it


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{process.args[0]} stopped (exit {process.returncode}):\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"nothing listens on port {port} after {STARTUP_SECONDS} s:\n{log.read_text()}")


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(HOST)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    certificate_path, key_path = directory / "certificate.pem", directory / "key.pem"
    certificate_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return certificate_path, key_path


def render(template: Path, values: dict[str, str]) -> str:
    """deploy/render-config.sh, as docs/deploy.md runs it."""
    arguments = [f"{name}={value}" for name, value in values.items()]
    result = subprocess.run(
        [str(DEPLOY / "render-config.sh"), str(template), *arguments], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def only(self, name: str) -> str:
        values = self.headers.get_all(name) or []
        assert len(values) == 1, f"{name}: {values}"
        return values[0]


@dataclass
class Site:
    https_port: int
    http_port: int
    onion_port: int
    tls: ssl.SSLContext
    logs: Path
    data_dir: Path
    gunicorn_output: Path
    environment: dict[str, str]
    certificate: str
    user_agent: str = field(default_factory=lambda: f"probe-agent-{uuid.uuid4().hex}")

    def https(self, method: str, path: str, headers: dict[str, str] | None = None) -> Response:
        connection = http.client.HTTPSConnection(HOST, self.https_port, context=self.tls, timeout=20)
        return self._send(connection, method, path, headers)

    def http(self, method: str, path: str) -> Response:
        return self._send(http.client.HTTPConnection(HOST, self.http_port, timeout=20), method, path, None)

    def _send(self, connection: http.client.HTTPConnection, method: str, path: str, headers: dict | None) -> Response:
        try:
            connection.request(method, path, headers={"User-Agent": self.user_agent, **(headers or {})})
            response = connection.getresponse()
            return Response(response.status, response.headers, response.read())
        finally:
            connection.close()

    def onion(self, path: str, method: str = "GET", headers: dict | None = None, body: bytes = b"") -> Response:
        """A request as Tor hands it over: PROXY protocol naming a circuit, then HTTP/1.1 for the onion name."""
        lines = [f"{method} {path} HTTP/1.1", f"Host: {ONION_NAME}", f"User-Agent: {self.user_agent}"]
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        lines += [f"Content-Length: {len(body)}", "Connection: close"]
        with socket.create_connection(("127.0.0.1", self.onion_port), timeout=20) as raw:
            raw.sendall(b"PROXY TCP6 fc00:dead:beef:4dad::0:2a ::1 4242 80\r\n")
            raw.sendall("\r\n".join(lines).encode() + b"\r\n\r\n" + body)
            response = http.client.HTTPResponse(raw)
            response.begin()
            return Response(response.status, response.headers, response.read())

    def log_text(self) -> str:
        """Everything nginx, gunicorn and the application wrote."""
        files = [*self.logs.glob("*.log"), self.gunicorn_output, *(self.data_dir / "logs").glob("*")]
        return "\n".join(path.read_text(errors="replace") for path in files if path.is_file())


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    if NGINX is None and os.geteuid() != 0:
        pytest.skip(
            "nginx is not installed and this is not root: run `make deps` as root, or "
            "`sudo apt-get install -y --no-install-recommends nginx` (CI installs it through make deps)"
        )
    if NGINX is None:
        pytest.fail("nginx is not installed: `make deps` installs it (DEB_PACKAGES)")
    root = tmp_path_factory.mktemp("deploy")
    logs, data_dir, tmpfs = root / "logs", root / "data", root / "run"
    for directory in (logs, tmpfs):
        directory.mkdir()
    app_port, https_port, http_port, onion_port = (free_port() for _ in range(4))
    environment = {name: value for name, value in os.environ.items() if name not in UNSET}
    environment.update(
        DJANGO_SETTINGS_MODULE="asylon.config.settings.production",
        ASYLON_DATA_DIR=str(data_dir),
        ASYLON_MASTER_KEY=secrets.token_urlsafe(48),
        ASYLON_ALLOWED_HOSTS=f"{HOST},{ONION_NAME}",
        ASYLON_TRUSTED_PROXIES="127.0.0.1",
        ASYLON_BIND=f"127.0.0.1:{app_port}",
        WEB_CONCURRENCY="1",
        ASYLON_GUNICORN_THREADS="4",
    )
    # docs/deploy.md, step 6: data directory, sealed keysets, migrations, static files, first organisation.
    quickstart = [sys.executable, "-m", "asylon.cli", "quickstart", "--no-serve"]
    prepared = subprocess.run(quickstart, env=environment, cwd=REPOSITORY, capture_output=True, text=True, check=False)
    assert prepared.returncode == 0, prepared.stdout + prepared.stderr

    certificate, key = self_signed_certificate(root)
    values = {
        "SERVER_NAME": HOST,
        "HTTPS_LISTEN": f"127.0.0.1:{https_port}",
        "HTTP_LISTEN": f"127.0.0.1:{http_port}",
        "TLS_CERTIFICATE": str(certificate),
        "TLS_CERTIFICATE_KEY": str(key),
        "UPSTREAM": f"127.0.0.1:{app_port}",
        "LOG_DIR": str(logs),
        "TMPFS_DIR": str(tmpfs),
        "ACME_ROOT": str(root / "acme"),
        "ONION_LISTEN": f"127.0.0.1:{onion_port}",
        "ONION_NAME": ONION_NAME,
    }
    (root / "asylon.conf").write_text(render(DEPLOY / "nginx" / "asylon.conf", values))
    (root / "asylon-onion.conf").write_text(render(DEPLOY / "nginx" / "asylon-onion.conf", values))
    temp_paths = "\n".join(f"    {kind}_temp_path {root / kind};" for kind in ("proxy", "fastcgi", "uwsgi", "scgi"))
    (root / "nginx.conf").write_text(
        f"""daemon off;
worker_processes 1;
pid {root / "nginx.pid"};
error_log {logs / "nginx-main-error.log"};
{"user root;" if os.geteuid() == 0 else ""}
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    # As Debian's /etc/nginx/nginx.conf: the site must override each of these.
    ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
    ssl_prefer_server_ciphers on;
    gzip on;
    access_log {logs / "debian-default-access.log"};
    client_body_temp_path {root / "body"};
{temp_paths}
    include {root / "asylon.conf"};
    include {root / "asylon-onion.conf"};
}}
"""
    )
    nginx_command = [NGINX, "-p", f"{root}/", "-c", str(root / "nginx.conf"), "-e", str(logs / "nginx-main-error.log")]
    checked = subprocess.run([*nginx_command, "-t"], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr

    gunicorn_output = root / "gunicorn.out"
    processes: list[subprocess.Popen] = []
    try:
        with gunicorn_output.open("wb") as output:
            gunicorn = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", str(DEPLOY / "gunicorn.conf.py")],
                env=environment,
                cwd=REPOSITORY,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        processes.append(gunicorn)
        nginx_output = logs / "nginx-stderr.log"
        with nginx_output.open("wb") as output:
            nginx = subprocess.Popen(nginx_command, stdout=output, stderr=subprocess.STDOUT)
        processes.append(nginx)
        wait_for_port(app_port, gunicorn, gunicorn_output)
        for port in (https_port, http_port, onion_port):
            wait_for_port(port, nginx, nginx_output)
        tls = ssl.create_default_context(cafile=str(certificate))
        ports = (https_port, http_port, onion_port)
        yield Site(*ports, tls, logs, data_dir, gunicorn_output, environment, str(certificate))
    finally:
        for process in reversed(processes):
            stop(process)


def test_the_health_probe_answers_through_nginx(site):
    response = site.https("GET", "/healthz")

    assert response.status == 200
    assert json.loads(response.body) == {"status": "ok"}


def test_the_login_page_comes_through_with_every_security_header_once(site):
    response = site.https("GET", "/accounts/login/")

    assert response.status == 200
    assert b'name="password"' in response.body
    assert response.only("Strict-Transport-Security") == HSTS
    policy = response.only("Content-Security-Policy")  # the application's, not nginx's fallback
    assert "default-src 'self'" in policy and "form-action 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response.only("X-Content-Type-Options") == "nosniff"
    assert response.only("X-Frame-Options") == "DENY"
    assert response.only("Referrer-Policy") == "same-origin"
    assert response.only("Cross-Origin-Opener-Policy") == "same-origin"
    assert response.only("Permissions-Policy") == PERMISSIONS_POLICY
    assert response.only("Cross-Origin-Resource-Policy") == "same-origin"
    assert response.only("X-Robots-Tag") == "noindex, nofollow"
    assert response.only("Server") == "nginx"  # no version
    cookie = response.only("Set-Cookie")
    assert cookie.startswith("__Host-asylon_csrftoken=") and "Secure" in cookie


def test_plain_http_redirects_the_pages_and_leaves_the_api_to_refuse(site):
    page = site.http("GET", "/accounts/login/?next=/home/")
    help_page = site.http("GET", "/be/help/")
    api = site.http("GET", "/api/v1/cases/")

    assert page.status == 301 and page.headers["Location"] == f"https://{HOST}/accounts/login/?next=/home/"
    assert help_page.status == 301 and help_page.headers["Location"] == f"https://{HOST}/be/help/"
    assert api.status == 403
    assert json.loads(api.body)["code"] == "https_required"


def test_tls_is_1_2_or_1_3_with_forward_secret_aead_suites_only(site):
    def handshake(context: ssl.SSLContext) -> ssl.SSLSocket:
        raw = socket.create_connection(("127.0.0.1", site.https_port), timeout=10)
        return context.wrap_socket(raw, server_hostname=HOST)

    with handshake(site.tls) as preferred:
        assert preferred.version() == "TLSv1.3"
    tls12 = ssl.create_default_context(cafile=site.certificate)
    tls12.maximum_version = ssl.TLSVersion.TLSv1_2
    site_config = (DEPLOY / "nginx" / "asylon.conf").read_text()
    [suites] = re.findall(r"ssl_ciphers ([^;]+);", site_config)
    assert all(suite.startswith("ECDHE-") and ("GCM" in suite or "CHACHA20" in suite) for suite in suites.split(":"))
    with handshake(tls12) as connection:
        assert connection.version() == "TLSv1.2" and connection.cipher()[0] in suites.split(":")
    cbc = ssl.create_default_context(cafile=site.certificate)
    cbc.maximum_version = ssl.TLSVersion.TLSv1_2
    cbc.set_ciphers("ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA384")  # forward secret, but CBC
    with pytest.raises(ssl.SSLError):
        handshake(cbc).close()
    # TLS 1.0 and 1.1: refused by Debian's OpenSSL whatever nginx says, so the configuration is the check.
    assert set(re.findall(r"ssl_protocols ([^;]+);", site_config)) == {"TLSv1.2 TLSv1.3"}


def test_a_request_with_two_body_lengths_is_refused_before_gunicorn(site):
    """Request smuggling: Content-Length beside Transfer-Encoding is refused; gunicorn gets nginx's framing."""
    request = (
        f"POST /accounts/login/ HTTP/1.1\r\nHost: {HOST}\r\nContent-Length: 4\r\n"
        "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\nGET /healthz HTTP/1.1\r\n\r\n"
    )
    raw = socket.create_connection(("127.0.0.1", site.https_port), timeout=10)
    with site.tls.wrap_socket(raw, server_hostname=HOST) as connection:
        connection.sendall(request.encode())
        response = http.client.HTTPResponse(connection)
        response.begin()
        assert response.status == 400


def test_no_directory_listing_and_no_trace(site):
    assert site.https("GET", "/static/").status == 404
    assert site.https("GET", "/static/asylon/").status == 404
    assert site.https("TRACE", "/accounts/login/").status == 405


def test_an_unknown_host_gets_no_page(site):
    connection = http.client.HTTPConnection("127.0.0.1", site.http_port, timeout=10)
    try:
        connection.request("GET", "/accounts/login/", headers={"Host": "elsewhere.example"})
        with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
            connection.getresponse()
    finally:
        connection.close()


def test_nginx_own_responses_carry_the_headers_the_application_would_set(site):
    response = site.https("POST", "/accounts/login/", headers={"Content-Length": str(TOO_LARGE)})

    assert response.status == 413
    assert response.only("Strict-Transport-Security") == HSTS
    assert response.only("Content-Security-Policy").startswith("default-src 'none'")
    assert response.only("X-Content-Type-Options") == "nosniff"
    assert response.only("X-Frame-Options") == "DENY"


def test_the_body_limits_follow_the_application_settings():
    """Documents: ASYLON_MAX_DOCUMENT_BYTES plus 1 MiB for the form; the help form: its whole-request cap;
    imports: the import's upload cap plus 1 MiB. Either side changed alone fails here."""
    site_config = (DEPLOY / "nginx" / "asylon.conf").read_text()
    onion_config = (DEPLOY / "nginx" / "asylon-onion.conf").read_text()
    mib = 1024 * 1024
    limits = [int(size) * mib for size in re.findall(r"client_max_body_size (\d+)m;", site_config)]

    assert limits == [
        settings.ASYLON_MAX_DOCUMENT_BYTES + mib,  # the server's default
        max_request_bytes(),  # the help pages
        MAX_UPLOAD_BYTES + mib,  # imports
    ]
    assert f"client_max_body_size {max_request_bytes() // mib}m;" in onion_config


def test_the_help_pages_and_static_files_leave_no_log_line_and_staff_pages_do(site):
    marker = uuid.uuid4().hex
    help_responses = [site.https("GET", f"{path}?probe={marker}") for path in HELP_PATHS]
    static = [site.https("GET", f"/static/{name}?probe={marker}") for name in HELP_STATIC]
    site.https("POST", "/be/help/", headers={"Content-Length": str(TOO_LARGE)})  # nginx refuses: 413
    staff = site.https("GET", f"/accounts/login/?probe={marker}")
    site.https("POST", "/accounts/login/", headers={"Content-Length": str(TOO_LARGE)})

    assert [response.status for response in help_responses] == [200, 200, 200, 404]  # /LT/HELP/: no such page
    assert all(response.only("Content-Security-Policy") for response in help_responses)  # the application's
    assert b"<form" in help_responses[1].body
    assert [response.status for response in static] == [200] * len(HELP_STATIC) and staff.status == 200
    access = (site.logs / "asylon-access.log").read_text().splitlines()
    assert [line for line in access if "help" in line.lower() or "/static/" in line] == []
    assert any(" GET /accounts/login/ 200 " in line for line in access)
    errors = (site.logs / "asylon-error.log").read_text()
    assert "too large body" in errors and "/accounts/login/" in errors  # the error log works...
    assert "help" not in errors.lower()  # ...and the help pages' refusal (naming the address) is not in it
    assert (site.logs / "debian-default-access.log").read_text() == ""
    everything = site.log_text()
    assert marker not in everything and site.user_agent not in everything
    assert "127.0.0.1" not in (site.logs / "asylon-access.log").read_text()


def test_an_invitation_link_leaves_no_log_line(site):
    secret = "invitation" + secrets.token_hex(16)
    for path in (f"/org/join/{secret}/", f"/ru/org/join/{secret}/"):
        assert site.https("GET", path).status in (200, 302, 404)
    access_log = site.logs / "asylon-access.log"
    lines_before = access_log.read_text().count("\n")
    site.https("GET", "/accounts/login/?control=invitation")  # the control: a staff page is logged

    # nginx writes a request's line after it has sent the response: wait for the control's line.
    deadline = time.monotonic() + 10
    while not [line for line in access_log.read_text().splitlines()[lines_before:] if " GET /accounts/login/ " in line]:
        assert time.monotonic() < deadline, "the control request left no access log line"
        time.sleep(0.1)
    assert secret not in site.log_text()


def test_gunicorn_writes_no_access_log(site):
    site.https("GET", "/accounts/login/?gunicorn=1")
    site.https("GET", "/healthz")

    output = site.gunicorn_output.read_text(errors="replace")
    assert "Booting worker" in output  # gunicorn's error log is this output
    assert "Traceback" not in output and "No directory at" not in output
    assert "/accounts/login/" not in output and "/healthz" not in output and "HTTP/1." not in output
    assert site.user_agent not in output


def test_the_onion_server_serves_only_the_help_pages_without_logging(site):
    access_log = site.logs / "asylon-access.log"
    lines_before = access_log.read_text().count("\n")
    help_page = site.onion("/be/help/")
    static = site.onion("/static/asylon/asylon.css")
    staff = site.onion("/accounts/login/")
    root = site.onion("/")

    # The application answered (its headers are there) and did not redirect to https://<onion>.
    assert help_page.status == 200 and help_page.only("Content-Security-Policy") and b"<form" in help_page.body
    assert static.status == 200
    assert staff.status == 404 and staff.headers.get("Content-Security-Policy") is None  # nginx's own 404
    assert root.status == 302 and root.headers["Location"] == "/help/"
    assert access_log.read_text().count("\n") == lines_before
    assert site.user_agent not in site.log_text()


def test_the_backup_service_script_copies_an_encrypted_backup_off_the_machine(site, tmp_path):
    """deploy/backup/asylon-backup, as asylon-backup.service runs it, with an off-site hook that copies."""
    data_identity, custody_identity = x25519.Identity.generate(), x25519.Identity.generate()
    offsite = tmp_path / "offsite"
    offsite.mkdir()
    hook = tmp_path / "offsite-copy"
    hook.write_text(f'#!/bin/sh\nset -eu\ncp "$1" {offsite}/\n')
    hook.chmod(0o700)
    backups = site.data_dir / "backups"
    old, recent = backups / "asylon-backup-20200101T000000Z.age", backups / "asylon-backup-20200102T000000Z.age"
    for path, age_days in ((old, 30), (recent, 1)):
        path.write_bytes(b"an earlier backup")
        os.utime(path, (time.time() - age_days * 86400,) * 2)
    environment = {
        **site.environment,
        "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "ASYLON_BACKUP_RECIPIENTS": str(data_identity.to_public()),
        "ASYLON_BACKUP_KEYS_RECIPIENTS": str(custody_identity.to_public()),
        "ASYLON_BACKUP_OFFSITE": str(hook),
        "ASYLON_BACKUP_KEEP_DAYS": "7",
    }

    result = subprocess.run(
        [str(DEPLOY / "backup" / "asylon-backup")], env=environment, capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stdout + result.stderr
    [copied] = offsite.iterdir()
    assert copied.name.startswith("asylon-backup-") and (backups / copied.name).exists()
    assert pyrage.decrypt(copied.read_bytes(), [data_identity])  # the copy opens with the data identity
    assert not old.exists() and recent.exists()  # local copies pruned after the copy, by age


def test_the_help_form_can_be_sent_through_the_onion_and_a_foreign_origin_cannot(site):
    """Tor Browser posts with `Origin: http://<onion>`; the onion server presents it to the CSRF check as https."""
    form_page = site.onion("/ru/help/")
    cookie = form_page.only("Set-Cookie").split(";", 1)[0]
    [token] = re.findall(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form_page.body)
    fields = {"csrfmiddlewaretoken": token.decode(), "name": "Probe", "contact": "probe", "text": "probe"}
    body = urlencode({**fields, "website": ""}).encode()  # the honeypot stays empty

    def post(origin: str) -> Response:
        headers = {"Origin": origin, "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
        return site.onion("/ru/help/", method="POST", headers=headers, body=body)

    foreign = post("http://elsewhere.example")
    sent = post(f"http://{ONION_NAME}")

    assert foreign.status == 403
    assert sent.status == 200 and b'id="codename"' in sent.body
