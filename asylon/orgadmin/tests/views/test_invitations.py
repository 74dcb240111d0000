"""Invitation pages: create (the link once), withdraw, and the public accept page that leads to enrolment."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from asylon.accounts.models import Invitation, Membership, Role, User
from asylon.audit.models import AuditEntry
from tests.factories import sign_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long passphrase nobody guesses 8141"
ACCEPT = reverse("orgadmin:invitation_accept")


def invite(admin_client, organisation, email="new.colleague@example.org", role=Role.CASEWORKER):
    response = admin_client.post(
        reverse("orgadmin:invitation_new", args=[organisation.slug]), {"email": email, "role": role}
    )
    assert response.status_code == 200, response.content
    return response.context["link"]


def test_the_link_is_shown_once_and_listed_without_it(admin_client, organisation):
    link = invite(admin_client, organisation)

    assert link.startswith("http://testserver/org/join/")
    listing = admin_client.get(reverse("orgadmin:invitations", args=[organisation.slug])).content.decode()
    assert "new.colleague@example.org" in listing and link.rsplit("/", 2)[-2] not in listing
    assert AuditEntry.objects.filter(action="invitation.create", details__role=Role.CASEWORKER).exists()


def test_bad_invitation_input_is_shown_on_the_form(admin_client, organisation, caseworker):
    new = reverse("orgadmin:invitation_new", args=[organisation.slug])
    response = admin_client.post(new, {"email": caseworker.email, "role": Role.VIEWER})
    assert response.status_code == 200 and "already exists" in response.content.decode()
    response = admin_client.post(new, {"email": "nobody", "role": "pope"})
    assert set(response.context["form"].errors) == {"email", "role"}
    assert not Invitation.objects.exists()


def test_accepting_signs_in_and_leads_to_second_factor_enrolment(admin_client, organisation):
    link = invite(admin_client, organisation)
    visitor = Client()

    secret = link.rsplit("/", 2)[-2]
    moved = visitor.get(link)
    assert moved.status_code == 302 and moved["Location"] == ACCEPT  # the secret leaves the address at once
    page = visitor.get(ACCEPT)
    assert page.status_code == 200
    assert "new.colleague@example.org" in page.content.decode() and secret not in page.content.decode()
    mismatch = visitor.post(ACCEPT, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"})
    assert "The two passwords differ" in mismatch.content.decode()
    weak = visitor.post(ACCEPT, {"password1": "password", "password2": "password"})
    assert weak.status_code == 200 and not User.objects.filter(email="new.colleague@example.org").exists()

    response = visitor.post(ACCEPT, {"display_name": "Ala", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 302 and response["Location"] == reverse("mfa_index")
    user = User.objects.get(email="new.colleague@example.org")
    assert Membership.objects.get(user=user, organisation=organisation).role == Role.CASEWORKER
    assert AuditEntry.objects.filter(action="invitation.accept", actor=user).exists()
    assert secret not in str(dict(visitor.session.items()))  # spent, and gone from the session
    # Signed in, but no page except enrolment until a second factor is added.
    home = visitor.get(reverse("home"))
    assert home.status_code == 302 and home["Location"] == reverse("mfa_index")
    assert visitor.get(reverse("mfa_activate_totp")).status_code == 200
    # The link is spent.
    again = Client().get(link)
    assert again.status_code == 404 and "not valid" in again.content.decode()


def test_a_withdrawn_link_stops_working(admin_client, organisation):
    link = invite(admin_client, organisation)
    invitation = Invitation.objects.get()
    withdraw = reverse("orgadmin:invitation_withdraw", args=[organisation.slug, invitation.pk])
    assert "will stop working" in admin_client.get(withdraw).content.decode()

    assert admin_client.post(withdraw).status_code == 302

    assert Client().get(link).status_code == 404
    assert AuditEntry.objects.filter(action="invitation.revoke", actor__isnull=False).exists()


def test_a_signed_in_user_is_asked_to_sign_out_first(admin_client, organisation, caseworker):
    link = invite(admin_client, organisation)
    page = sign_in(Client(), caseworker).get(link, follow=True)
    assert page.status_code == 200 and "sign out first" in page.content.decode()
    assert not User.objects.filter(email="new.colleague@example.org").exists()


@pytest.mark.parametrize("key", ["not-a-real-key", "x" * 300, "%00"])
def test_unknown_links_are_not_found(key, db):
    response = Client().get(reverse("orgadmin:invitation_link", args=[key]))
    assert response.status_code == 404


def test_the_form_without_a_link_in_the_session_is_not_found(db):
    client = Client()
    assert client.get(ACCEPT).status_code == 404
    assert client.post(ACCEPT, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}).status_code == 404
    assert not User.objects.exists()


def test_a_link_withdrawn_while_the_form_is_open_creates_nothing(admin_client, organisation):
    link = invite(admin_client, organisation)
    visitor = Client()
    assert visitor.get(link, follow=True).status_code == 200
    Invitation.objects.update(revoked_at=timezone.now())

    response = visitor.post(ACCEPT, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 404
    assert not User.objects.filter(email="new.colleague@example.org").exists()
