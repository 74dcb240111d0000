"""The client address to record: from X-Forwarded-For only behind a trusted proxy, never for /help/.

People who reach the public help pages may be hiding from the state that seized the server; their
addresses are never written (DESIGN.md, threat model).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

from asylon.intake.privacy import is_public_intake_path


def is_help_path(path: str) -> bool:
    """Whether a path is under /help/, with or without a language prefix (/be/help/): the intake's predicate."""
    return is_public_intake_path(path)


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The client's address; None for the help pages or when no valid address is known.

    X-Forwarded-For is read right to left and only while each hop is a proxy listed in
    ASYLON_TRUSTED_PROXIES, so a client cannot forge its address by sending the header itself.
    """
    if is_help_path(request.path_info) or is_help_path(request.path):
        return None
    return peer_address(request)


def peer_address(request: HttpRequest) -> str | None:
    """The client's address as the trusted proxies report it, for any path.

    Never recorded for the help pages: only their rate limits read it, through a keyed digest
    (asylon/intake/abuse.py).
    """
    proxies = getattr(settings, "ASYLON_TRUSTED_PROXIES", [])
    trusted = {address for address in (_address(proxy) for proxy in proxies) if address}
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    if peer is None or peer not in trusted:
        return peer
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return None
        if address not in trusted:
            return address
    return peer
