"""Password login through allauth, the one-time password that must be changed, and the staff home page."""

import pytest
from django.urls import reverse

from asylon.accounts.models import Role
from asylon.accounts.services import staff_user_create
from asylon.audit.models import AuditEntry
from asylon.common.crypto.keyring import reset_keyring
from asylon.common.crypto.keysets import ensure_keysets
from asylon.common.crypto.master import MasterAead
from tests.factories import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_admin(organisation):
    return staff_user_create(actor=None, organisation=organisation, email="first@example.org", role=Role.ORG_ADMIN)


def test_root_redirects_anonymous_visitors_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_one_time_password_must_be_changed_before_anything_else(client, new_admin):
    user, password = new_admin
    response = client.post(reverse("account_login"), {"login": "first@example.org", "password": password})
    assert response.status_code == 302

    assert client.get(reverse("home")).url == reverse("account_change_password")
    new_password = "a new passphrase for the first admin"
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": password, "password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    # Next comes the second factor: an organisation admin must add a passkey before anything else.
    assert client.get(reverse("home")).url == reverse("mfa_add_webauthn")


def test_home_after_password_and_second_factor(client, caseworker):
    home = sign_in(client, caseworker).get(reverse("home"))
    assert home.status_code == 200
    assert "Organisation" in home.content.decode()


def test_wrong_password_is_refused(client, new_admin):
    response = client.post(reverse("account_login"), {"login": "first@example.org", "password": "wrong" * 4})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_public_signup_is_closed(client):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert "sign up is currently closed" in response.content.decode().lower()


def test_staff_creation_is_audited_without_the_password(new_admin):
    user, password = new_admin
    entry = AuditEntry.objects.get(action="user.create", target_id=str(user.pk))
    assert password not in str(entry.details)
    assert entry.details == {"role": "org_admin"}


def test_healthz_is_unprefixed_and_terse(client):
    response = client.get("/healthz")
    assert response.json() == {"status": "ok"}


def test_healthz_answers_503_when_the_keysets_do_not_open(client, settings, tmp_path):
    ensure_keysets(tmp_path, MasterAead(b"another organisation's master key, not ours"))
    settings.ASYLON_KEYS_DIR = str(tmp_path)
    reset_keyring()
    try:
        response = client.get("/healthz")
    finally:
        reset_keyring()
    assert response.status_code == 503 and response.json() == {"status": "unavailable"}
