"""`sensitive` and `SensitiveActionMixin`: a recent re-authentication before a sensitive action."""

import time

import pytest
from allauth.account import app_settings as account_settings
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.core.exceptions import ReauthenticationRequired
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpResponse
from django.views import View

from asylon.accounts.guards import SensitiveActionMixin, sensitive

pytestmark = pytest.mark.django_db


@sensitive
def key_rotation(request):
    return HttpResponse("rotated")


@sensitive(allow_get=True)
def key_status(request):
    return HttpResponse("status")


class ExportView(SensitiveActionMixin, View):
    def post(self, request):
        return HttpResponse("exported")


def request_for(rf, user, method="post", reauthenticated_seconds_ago=None):
    request = getattr(rf, method)("/")
    request.user = user
    request.session = SessionStore()
    records = [{"method": "password", "at": time.time() - 3600}]
    if reauthenticated_seconds_ago is not None:
        at = time.time() - reauthenticated_seconds_ago
        records.append({"method": "mfa", "type": "totp", "at": at, "reauthenticated": True})
    request.session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    request.session["account_authentication_methods_user"] = str(user.pk)
    return request


@pytest.mark.parametrize("view", [key_rotation, ExportView.as_view()])
def test_recent_reauthentication_lets_the_action_run(rf, caseworker, view):
    response = view(request_for(rf, caseworker, reauthenticated_seconds_ago=30))
    assert response.status_code == 200


@pytest.mark.parametrize("view", [key_rotation, ExportView.as_view()])
def test_stale_or_missing_reauthentication_is_asked_for(rf, caseworker, view):
    for seconds_ago in (None, account_settings.REAUTHENTICATION_TIMEOUT + 60):
        with pytest.raises(ReauthenticationRequired):
            view(request_for(rf, caseworker, reauthenticated_seconds_ago=seconds_ago))


def test_get_may_be_allowed_for_read_only_views(rf, caseworker):
    assert key_status(request_for(rf, caseworker, method="get")).status_code == 200
    with pytest.raises(ReauthenticationRequired):
        key_rotation(request_for(rf, caseworker, method="get"))


def test_anonymous_is_asked_to_authenticate(rf):
    from django.contrib.auth.models import AnonymousUser

    request = rf.post("/")
    request.user = AnonymousUser()
    request.session = SessionStore()
    with pytest.raises(ReauthenticationRequired):
        key_rotation(request)
