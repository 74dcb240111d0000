"""Anti-abuse for the public help pages without surveillance (docs/intake.md, "The public form").

- **Proof of work** (altcha): the widget fetches a challenge signed with a key derived from SECRET_KEY (so every
  worker process verifies what another issued), solves it in the browser and posts the solution with the form.
  A solution is accepted once: its signature is remembered in the cache until the challenge expires.
- **Rate limits**: counters in the cache with a time-to-live, keyed by an HMAC of the client's address under a
  key that exists only in this process's memory, is drawn with `secrets` at first use and replaced every UTC day.
  Nothing reaches the database or a log, the cache holds neither the address nor a digest that could be checked
  against a list of addresses once the process is gone. IPv6 addresses count by their /64 network (one
  household or host holds a whole /64), except Tor's per-circuit pseudo-addresses of an onion service, which
  count one by one. Each worker process draws its own key, so with N workers a client may get
  up to N times the limit; the limits are set with that in mind.
- A form posted **without a valid proof of work** (JavaScript off, Tor Browser's safest mode) is accepted under
  a stricter limit, so the form never depends on JavaScript.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import hmac
import ipaddress
import json
import secrets
import threading
from dataclasses import dataclass
from typing import Any, Final

import altcha
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

from asylon.audit.remote import peer_address

CACHE_PREFIX = "intake"
ALTCHA_ALGORITHM: Final = "SHA-256"
# Expected work of a browser: max_number / 2 SHA-256 hashes (about a second on a phone at 100,000).
DEFAULT_ALTCHA_MAX_NUMBER = 100_000
ALTCHA_LIFETIME = datetime.timedelta(minutes=20)
# The pseudo-addresses Tor gives onion-service circuits (HiddenServiceExportCircuitID haproxy; docs/deploy.md).
TOR_CIRCUITS = ipaddress.ip_network("fc00:dead:beef:4dad::/64")


@dataclass(frozen=True)
class Limit:
    """At most `count` events per `seconds` for one address bucket."""

    count: int
    seconds: int


# What one address may do, per worker process (module docstring). Tor exits are shared by many people,
# so the limits stay generous for people and tight only for machines.
DEFAULT_LIMITS: dict[str, Limit] = {
    "submit": Limit(10, 3600),  # forms with a valid proof of work
    "submit_nojs": Limit(4, 3600),  # forms without one: the stricter fallback
    "codename_wrong": Limit(10, 3600),  # wrong codenames on the status page
    "message": Limit(20, 3600),  # messages sent from the status page
}


def limit(kind: str) -> Limit:
    """The limit of one kind of event; ASYLON_INTAKE_RATE_LIMITS = {kind: (count, seconds)} overrides it."""
    configured = getattr(settings, "ASYLON_INTAKE_RATE_LIMITS", {}).get(kind)
    if configured:
        return Limit(int(configured[0]), int(configured[1]))
    return DEFAULT_LIMITS[kind]


# --- the daily in-memory key --------------------------------------------------------------------

_key_lock = threading.Lock()
_daily_key: dict[datetime.date, bytes] = {}


def _key_of_the_day(today: datetime.date | None = None) -> bytes:
    """This process's key for the current UTC day, drawn at first use; yesterday's is forgotten."""
    day = today or datetime.datetime.now(datetime.UTC).date()
    with _key_lock:
        if day not in _daily_key:
            _daily_key.clear()
            _daily_key[day] = secrets.token_bytes(32)
        return _daily_key[day]


def forget_keys() -> None:
    """Drop the key (tests; a restart does the same)."""
    with _key_lock:
        _daily_key.clear()


def _network_of(address: str | None) -> str:
    """What a limit counts: an IPv4 address, an IPv6 /64, a Tor circuit, or one shared bucket when none is known."""
    if not address:
        return "unknown"
    parsed = ipaddress.ip_address(address)
    if isinstance(parsed, ipaddress.IPv4Address):
        return str(parsed)
    if parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    if parsed in TOR_CIRCUITS:  # one pseudo-address per circuit, all in one /64: count each circuit
        return str(parsed)
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False))


def address_bucket(request: HttpRequest, *, today: datetime.date | None = None) -> str:
    """The keyed digest a client's limits are counted under (never the address itself)."""
    network = _network_of(peer_address(request))
    return hmac.new(_key_of_the_day(today), network.encode(), hashlib.sha256).hexdigest()[:32]


def _counter_key(kind: str, bucket: str) -> str:
    return f"{CACHE_PREFIX}:limit:{kind}:{bucket}"


def exceeded(request: HttpRequest, kind: str) -> bool:
    """Whether the client has used up this kind's limit (without counting this request)."""
    count = cache.get(_counter_key(kind, address_bucket(request)), 0)
    return int(count) >= limit(kind).count


def count(request: HttpRequest, kind: str) -> int:
    """Count one event for the client; the counter expires with the limit's window from its first event."""
    key = _counter_key(kind, address_bucket(request))
    window = limit(kind).seconds
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return 1


def spend(request: HttpRequest, kind: str) -> bool:
    """Count one event if the limit allows it; False (and nothing counted) when it is used up."""
    if exceeded(request, kind):
        return False
    return count(request, kind) <= limit(kind).count


# --- altcha ------------------------------------------------------------------------------------


def _altcha_key() -> bytes:
    # A key of its own, derived from SECRET_KEY so that every process of the instance verifies the same challenges.
    return hmac.new(settings.SECRET_KEY.encode(), b"asylon.intake.altcha", hashlib.sha256).digest()


def altcha_max_number() -> int:
    """The challenge's difficulty (ASYLON_INTAKE_ALTCHA_MAX_NUMBER; tiny in the test settings)."""
    return int(getattr(settings, "ASYLON_INTAKE_ALTCHA_MAX_NUMBER", DEFAULT_ALTCHA_MAX_NUMBER))


def altcha_challenge() -> dict[str, Any]:
    """A fresh signed challenge for the widget (the JSON of /help/altcha/)."""
    challenge = altcha.create_challenge_v1(
        altcha.ChallengeOptionsV1(
            algorithm=ALTCHA_ALGORITHM,
            max_number=altcha_max_number(),
            hmac_key=_altcha_key(),
            expires=timezone.now() + ALTCHA_LIFETIME,
        )
    )
    return dict(challenge.to_dict())


def altcha_solution(challenge: dict[str, Any]) -> str:
    """The payload a browser posts for a challenge, solved here (tests and the authorisation matrix)."""
    solution = altcha.solve_challenge_v1(
        challenge["challenge"], challenge["salt"], challenge["algorithm"], challenge["maxNumber"], 0
    )
    if solution is None:
        raise ValueError("challenge has no solution")
    payload = {
        "algorithm": challenge["algorithm"],
        "challenge": challenge["challenge"],
        "number": solution.number,
        "salt": challenge["salt"],
        "signature": challenge["signature"],
    }
    return base64.b64encode(json.dumps(payload).encode()).decode()


def altcha_verified(payload: str | None) -> bool:
    """Whether the posted payload solves a challenge we signed, unexpired and not used before.

    A solution is spent on first use: its signature is kept in the cache until the challenge would expire anyway.
    """
    if not payload or not isinstance(payload, str) or len(payload) > 4096:
        return False
    try:
        valid, _error = altcha.verify_solution_v1(payload, _altcha_key(), check_expires=True)
    except Exception:  # a malformed payload of any shape is simply not a proof of work
        return False
    if not valid:
        return False
    try:
        signature = str(json.loads(base64.b64decode(payload))["signature"])
    except (ValueError, KeyError, TypeError, binascii.Error):
        return False
    spent_key = f"{CACHE_PREFIX}:altcha:{hashlib.sha256(signature.encode()).hexdigest()[:32]}"
    return bool(cache.add(spent_key, 1, timeout=int(ALTCHA_LIFETIME.total_seconds()) + 60))
