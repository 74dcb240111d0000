"""Sign-ins, failed sign-ins and sign-outs are audited; passwords and unknown addresses never are."""

import pytest
from django.urls import reverse

from asylon.audit.models import AuditEntry
from asylon.audit.signals import attempted_email_digest
from tests.factories import TEST_PASSWORD, sign_in

pytestmark = pytest.mark.django_db


def dump():
    return repr(list(AuditEntry.objects.values()))


def test_successful_login_is_recorded(client, caseworker):
    client.post(reverse("account_login"), {"login": caseworker.email, "password": TEST_PASSWORD})

    entry = AuditEntry.objects.get(action="login")
    assert entry.actor == caseworker and entry.target_id == str(caseworker.pk)
    assert entry.remote_address == "127.0.0.1"


def test_failed_login_names_the_account_but_not_the_password(client, caseworker):
    client.post(reverse("account_login"), {"login": caseworker.email, "password": "wrong password 12345"})

    entry = AuditEntry.objects.get(action="login.failed")
    assert entry.actor is None and entry.target_id == str(caseworker.pk)
    assert "wrong password" not in dump()


def test_failed_login_for_an_unknown_address_keeps_only_a_keyed_digest(client):
    client.post(reverse("account_login"), {"login": "Nobody@Example.org", "password": "wrong password 12345"})

    entry = AuditEntry.objects.get(action="login.failed")
    assert entry.details == {"attempted_email_digest": attempted_email_digest("nobody@example.org")}
    assert "nobody" not in dump().lower()
    assert "wrong password" not in dump()


def test_logout_is_recorded(client, caseworker):
    sign_in(client, caseworker)

    client.post(reverse("account_logout"))

    assert AuditEntry.objects.filter(action="logout", actor=caseworker).exists()


def test_a_wrong_second_factor_code_is_a_failed_login(client, caseworker):
    from allauth.mfa.models import Authenticator

    from tests.factories import enrol_second_factor

    enrol_second_factor(caseworker, Authenticator.Type.TOTP)
    response = client.post(reverse("account_login"), {"login": caseworker.email, "password": TEST_PASSWORD})
    assert response.url == reverse("mfa_authenticate")

    from asylon.accounts.tests.test_totp_login import totp_code
    from tests.factories import TEST_TOTP_SECRET

    wrong = f"{(int(totp_code(TEST_TOTP_SECRET)) + 500_000) % 1_000_000:06d}"  # never the current code
    client.post(reverse("mfa_authenticate"), {"code": wrong})

    entry = AuditEntry.objects.get(action="login.failed", target_id=str(caseworker.pk))
    assert entry.details == {"step": "second_factor", "type": "totp", "reauthentication": False}
    assert not AuditEntry.objects.filter(action="login", actor=caseworker).exists()
