"""The root redirect and the health probe (the staff home page is the dashboard, asylon.cases.views.dashboard)."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from asylon.common.crypto.keyring import keyring
from asylon.common.crypto.master import MasterKeyError


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness, database reachability and open keysets for probes; reveals nothing else.

    The keysets are read again if they changed on disk: keysets sealed under another master key (a
    restore, a mistaken copy) answer 503 here before the first request that needs them fails."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    try:
        keyring().current_primary_key_id()
    except (MasterKeyError, OSError):
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def root(request: HttpRequest) -> HttpResponse:
    return redirect("home" if request.user.is_authenticated else "account_login")
