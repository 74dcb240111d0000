"""MFAEnrolmentMiddleware: every branch, through the real URL map."""

import time

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.models import Authenticator
from django.urls import reverse

from asylon.accounts.models import Role
from tests.factories import enrol_second_factor, sign_in, staff

pytestmark = pytest.mark.django_db


def password_only(client, user, reauthenticated=False):
    """A session that passed the password step only, as allauth leaves it for a user with no factor.

    allauth asks for the password again before a factor is added (`reauthenticated` skips that step).
    """
    client.force_login(user)
    session = client.session
    record = {"method": "password", "at": time.time()}
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [record, {**record, "reauthenticated": True}][
        : 2 if reauthenticated else 1
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client


def test_anonymous_visitors_are_not_concerned(client):
    assert client.get(reverse("home")).url.startswith(reverse("account_login"))
    assert client.get(reverse("account_login")).status_code == 200


def test_static_files_and_probe_stay_open(client, caseworker):
    password_only(client, caseworker)
    assert client.get("/healthz").status_code == 200
    assert client.get("/static/asylon/asylon.css").status_code != 302


def test_one_time_password_comes_before_enrolment(client, organisation):
    user = staff(organisation, Role.CASEWORKER, must_change_password=True)
    password_only(client, user)
    assert client.get(reverse("home")).url == reverse("account_change_password")
    assert client.get(reverse("account_change_password")).status_code == 200


def test_adding_a_factor_asks_for_the_password_again_and_that_page_is_open(client, caseworker):
    password_only(client, caseworker)
    response = client.get(reverse("mfa_add_webauthn"))
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert client.get(response.url).status_code == 200


def test_caseworker_without_factor_is_sent_to_choose_one(client, caseworker):
    password_only(client, caseworker, reauthenticated=True)
    response = client.get(reverse("home"))
    assert response.url == reverse("mfa_index")
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    assert client.get(reverse("mfa_add_webauthn")).status_code == 200


def test_lawyer_without_factor_is_sent_to_add_a_passkey(client, lawyer):
    password_only(client, lawyer, reauthenticated=True)
    assert client.get(reverse("home")).url == reverse("mfa_add_webauthn")
    assert client.get(reverse("mfa_activate_totp")).url == reverse("mfa_add_webauthn")
    assert client.get(reverse("mfa_add_webauthn")).status_code == 200


def test_every_other_page_redirects_including_admin_and_language_prefixes(client, caseworker):
    password_only(client, caseworker)
    for path in ("/admin/", "/be/home/", "/accounts/security/", "/no-such-page/"):
        assert client.get(path).status_code == 302, path
        assert client.get(path)["Location"].endswith("/accounts/2fa/"), path


def test_sign_out_stays_reachable(client, lawyer):
    password_only(client, lawyer)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_lawyer_with_totp_only_must_add_a_passkey(client, lawyer):
    totp = enrol_second_factor(lawyer, "totp")
    sign_in(client, lawyer, totp)
    assert client.get(reverse("home")).url == reverse("mfa_add_webauthn")


def test_enrolled_user_with_second_factor_in_session_passes(client, lawyer):
    sign_in(client, lawyer)
    assert client.get(reverse("home")).status_code == 200


def test_session_without_second_factor_is_signed_out(client, caseworker):
    enrol_second_factor(caseworker)
    client.force_login(caseworker)
    response = client.get(reverse("home"))
    assert response.url == reverse("account_login")
    assert "_auth_user_id" not in client.session


def test_second_factor_the_policy_no_longer_allows_is_signed_out(client, lawyer):
    enrol_second_factor(lawyer, "webauthn")
    totp = enrol_second_factor(lawyer, "totp")
    sign_in(client, lawyer, totp)
    assert client.get(reverse("home")).url == reverse("account_login")
    assert "_auth_user_id" not in client.session


def test_recovery_code_session_passes(client, lawyer):
    enrol_second_factor(lawyer, "webauthn")
    codes = Authenticator.objects.create(user=lawyer, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "x"})
    sign_in(client, lawyer, codes)
    assert client.get(reverse("home")).status_code == 200


def test_enrolled_lawyer_cannot_add_totp(client, lawyer):
    sign_in(client, lawyer)
    assert client.get(reverse("mfa_activate_totp")).url == reverse("mfa_index")


def test_enrolled_user_reaches_the_two_factor_pages(client, lawyer):
    sign_in(client, lawyer)
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get(reverse("mfa_list_webauthn")).status_code == 200
