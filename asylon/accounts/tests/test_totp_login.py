"""TOTP through the real allauth views: enrol after the password, sign in with password and code."""

import time

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.db import connection
from django.urls import reverse

from asylon.accounts.models import Role
from asylon.audit.models import AuditEntry
from tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET, enrol_second_factor, staff

pytestmark = pytest.mark.django_db


def totp_code(secret: str, at: float | None = None) -> str:
    return format_hotp_value(hotp_value(secret, int(at if at is not None else time.time()) // 30))


def sign_in_with_password(client, user):
    return client.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD})


def enrol_totp(client, user) -> str:
    """Password, re-authentication (allauth asks before adding a factor), then the code from the app."""
    sign_in_with_password(client, user)
    assert client.get(reverse("home")).url == reverse("mfa_index")
    response = client.get(reverse("mfa_activate_totp"))
    assert response.url.startswith(reverse("account_reauthenticate"))
    response = client.post(response.url, {"password": TEST_PASSWORD})
    assert response.url == reverse("mfa_activate_totp")
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return secret


# allauth announces a new factor on commit (its receiver marks the session): real transactions here.
@pytest.mark.django_db(transaction=True)
def test_enrol_totp_then_sign_in_with_password_and_code(client, organisation):
    user = staff(organisation, Role.CASEWORKER)
    with time_machine.travel(time.time(), tick=True) as traveller:
        secret = enrol_totp(client, user)
        assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()
        assert client.get(reverse("home")).status_code == 200  # enrolling counts as this session's factor
        assert AuditEntry.objects.filter(action="mfa.add", target_id=str(user.pk), details={"type": "totp"}).exists()

        client.post(reverse("account_logout"))
        traveller.shift(60)  # a fresh time step: allauth refuses a code twice
        response = sign_in_with_password(client, user)
        assert response.url == reverse("mfa_authenticate")
        assert "_auth_user_id" not in client.session  # not signed in before the second factor

        wrong = client.post(
            reverse("mfa_authenticate"), {"code": "000000" if totp_code(secret) != "000000" else "111111"}
        )
        assert wrong.status_code == 200
        assert "_auth_user_id" not in client.session

        response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
        assert response.status_code == 302
        home = client.get(reverse("home"))
        assert home.status_code == 200
        assert "Organisation" in home.content.decode()
        assert f"Successfully signed in as {user.email}" in home.content.decode()  # not the account's id


def test_totp_secret_is_stored_sealed(client, organisation):
    user = staff(organisation, Role.CASEWORKER)
    secret = enrol_totp(client, user)
    table = Authenticator._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT data FROM {table} WHERE user_id = %s", [user.pk.hex if connection.vendor == "sqlite" else user.pk]
        )
        stored = " ".join(str(row[0]) for row in cursor.fetchall())
    assert stored
    assert secret not in stored
    assert secret.lower() not in stored.lower()
    assert "aead1:" in stored


def test_app_code_is_refused_when_the_policy_requires_the_passkey_the_user_holds(client, lawyer):
    enrol_second_factor(lawyer, Authenticator.Type.WEBAUTHN)
    enrol_second_factor(lawyer, Authenticator.Type.TOTP)  # left over from a caseworker role
    assert sign_in_with_password(client, lawyer).url == reverse("mfa_authenticate")

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(TEST_TOTP_SECRET)})

    assert response.status_code == 200
    assert "requires a passkey" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_app_only_user_under_a_passkey_policy_may_use_the_code_to_add_a_passkey(client, lawyer):
    enrol_second_factor(lawyer, Authenticator.Type.TOTP)
    sign_in_with_password(client, lawyer)
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(TEST_TOTP_SECRET)})
    assert response.status_code == 302
    assert client.get(reverse("home")).url == reverse("mfa_add_webauthn")
