"""gunicorn for Asylon in production (docs/deploy.md): `gunicorn -c /etc/asylon/gunicorn.conf.py`.

Behind nginx on the loopback address (deploy/nginx/asylon.conf proxies to 127.0.0.1:8000, and
ASYLON_TRUSTED_PROXIES=127.0.0.1 lets the audit log read the client address nginx forwards). Not a
unix socket: gunicorn gives a unix-socket peer no address, so the audit log would lose every address.
No access log at all, and an error log without request lines (asylon.ops.gunicorn_logging).
"""

import multiprocessing
import os

wsgi_app = "asylon.config.wsgi:application"  # production settings unless DJANGO_SETTINGS_MODULE says otherwise
bind = [os.environ.get("ASYLON_BIND", "127.0.0.1:8000")]

# Workers: WEB_CONCURRENCY, else 2 per core + 1. Threads let a worker wait on the database or a slow
# client (downloads are not spooled to disk by nginx) without blocking the others.
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * multiprocessing.cpu_count() + 1)
worker_class = "gthread"
threads = int(os.environ.get("ASYLON_GUNICORN_THREADS") or 4)
timeout = 120  # a report's PDF or an export is built in the request; nginx's proxy_read_timeout is the same
graceful_timeout = 30
keepalive = 5
max_requests = 2000  # recycle workers now and then, with jitter so they do not all restart at once
max_requests_jitter = 200
worker_tmp_dir = "/dev/shm"  # the workers' heartbeat files, in memory rather than on disk  # noqa: S108
umask = 0o077  # files the app writes (documents, exports) readable by the service account only

# Limits: nginx accepts request lines and headers up to 8 KiB (large_client_header_buffers 4 8k).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

# Proxy headers: only nginx on this machine is believed, and only its X-Forwarded-Proto.
forwarded_allow_ips = "127.0.0.1"
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}

# Logs (docs/deploy.md, "Log policy"): no access log; errors to stderr (the journal), without requests.
accesslog = None
disable_redirect_access_to_syslog = True
errorlog = "-"
loglevel = os.environ.get("ASYLON_GUNICORN_LOG_LEVEL", "info")
logger_class = "asylon.ops.gunicorn_logging.PrivateLogger"
capture_output = False
proc_name = "asylon-web"
