"""Security headers on an application page, an allauth page, an error page, a static file and the probe."""

from __future__ import annotations

import importlib
import re
import sys

import pytest
from django.test import Client

from asylon.common.middleware import PERMISSIONS_POLICY

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.security.http_urls")]

EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}
PAGES = {
    "application page": "/home/",
    "allauth page": "/accounts/login/",
    "error page": "/no-such-page/",
    "static file": "/static/asylon/asylon.css",
    "health probe": "/healthz",
}


def csp_directives(header: str) -> dict[str, str]:
    directives = [part.strip().split(" ", 1) for part in header.split(";") if part.strip()]
    return {name: value for name, value in directives}


@pytest.fixture
def signed_in(caseworker):
    client = Client()
    client.force_login(caseworker)
    return client


@pytest.mark.parametrize("page", PAGES)
def test_every_response_carries_the_security_headers(signed_in, page):
    response = signed_in.get(PAGES[page])

    assert response.status_code < 500
    assert csp_directives(response["Content-Security-Policy"]) == EXPECTED_CSP
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY


@pytest.mark.parametrize("page", ["application page", "allauth page", "error page", "health probe"])
def test_pages_cannot_be_framed(signed_in, page):
    assert signed_in.get(PAGES[page])["X-Frame-Options"] == "DENY"


def test_the_allauth_login_page_is_served_and_csp_allows_no_inline_code():
    response = Client().get("/accounts/login/")

    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "http" not in policy and "*" not in policy  # no other origin


def test_permissions_policy_turns_features_off_but_keeps_webauthn_for_our_origin():
    features = dict(item.split("=", 1) for item in PERMISSIONS_POLICY.split(", "))

    assert features["publickey-credentials-get"] == "(self)"
    assert features["publickey-credentials-create"] == "(self)"
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "interest-cohort"):
        assert features[feature] == "()"


def test_a_page_that_uses_the_nonce_gets_it_in_script_src_and_a_fresh_one_each_time():
    first, second = Client().get("/test-nonce/"), Client().get("/test-nonce/")

    nonces = []
    for response in (first, second):
        [nonce] = re.findall(r'nonce="([^"]+)"', response.content.decode())
        assert csp_directives(response["Content-Security-Policy"])["script-src"] == f"'self' 'nonce-{nonce}'"
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_hsts_over_https_with_the_production_values(settings, monkeypatch):
    monkeypatch.setenv("ASYLON_SECRET_KEY", "s" * 64)
    monkeypatch.delenv("ASYLON_INSECURE_LOCALHOST", raising=False)
    monkeypatch.delitem(sys.modules, "asylon.config.settings.production", raising=False)
    production = importlib.import_module("asylon.config.settings.production")
    settings.SECURE_HSTS_SECONDS = production.SECURE_HSTS_SECONDS
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = production.SECURE_HSTS_INCLUDE_SUBDOMAINS
    settings.SECURE_HSTS_PRELOAD = production.SECURE_HSTS_PRELOAD
    settings.SECURE_SSL_REDIRECT = True

    secure = Client().get("/accounts/login/", secure=True)
    plain = Client().get("/accounts/login/")

    assert secure["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains; preload"
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
