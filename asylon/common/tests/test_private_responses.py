"""Signed-in pages are not cached; ending a session clears the site's data in the browser."""

from __future__ import annotations

from django.test import Client

from asylon.common.private_responses import CLEAR_SITE_DATA
from tests.factories import sign_in


def test_pages_for_signed_in_staff_are_never_stored(caseworker):
    response = sign_in(Client(), caseworker).get("/home/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "Clear-Site-Data" not in response


def test_signing_out_clears_the_site_data(caseworker):
    client = sign_in(Client(), caseworker)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == CLEAR_SITE_DATA
    assert "no-store" in response["Cache-Control"]


def test_sign_out_everywhere_clears_the_site_data(caseworker):
    response = sign_in(Client(), caseworker).post("/accounts/security/sign-out-everywhere/")
    assert response["Clear-Site-Data"] == CLEAR_SITE_DATA


def test_anonymous_pages_keep_their_own_caching(db):
    response = Client().get("/accounts/login/")
    assert "Clear-Site-Data" not in response
