"""Error pages (400, 403, 404, 500, CSRF failure) are our own and reveal nothing: no trace, path, version or detail."""

from __future__ import annotations

import django
import pytest
from django.test import Client

from tests.security.http_urls import EXCEPTION_TEXT

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.security.http_urls")]

REQUEST_PATH_MARKER = "probe-7c1e"
REVEALING = [
    "Traceback",
    "Django",
    django.get_version(),
    "asylon/config",
    ".py",
    "site-packages",
    "/srv/",
    "keyset",
    "Кавалёнак",
    "RuntimeError",
    "PermissionDenied",
    "DisallowedHost",
    "CSRF token",
    "Referer",
    REQUEST_PATH_MARKER,
    "evil.example",
]


def assert_reveals_nothing(content: str) -> None:
    for text in REVEALING:
        assert text not in content, text


def test_400_for_a_host_we_do_not_serve():
    response = Client().get(f"/accounts/login/?{REQUEST_PATH_MARKER}", HTTP_HOST="evil.example")

    assert response.status_code == 400
    content = response.content.decode()
    assert "Bad request" in content
    assert_reveals_nothing(content)


def test_403_for_a_denied_permission():
    response = Client().get(f"/test-forbidden/?{REQUEST_PATH_MARKER}")

    assert response.status_code == 403
    content = response.content.decode()
    assert "Not allowed" in content
    assert_reveals_nothing(content)


def test_404_does_not_echo_the_path():
    response = Client().get(f"/{REQUEST_PATH_MARKER}/cases/")

    assert response.status_code == 404
    content = response.content.decode()
    assert "Page not found" in content
    assert_reveals_nothing(content)


def test_500_does_not_echo_the_exception(settings):
    assert settings.DEBUG is False

    response = Client(raise_request_exception=False).get(f"/test-crash/?{REQUEST_PATH_MARKER}")

    assert response.status_code == 500
    content = response.content.decode()
    assert "Something went wrong" in content
    assert EXCEPTION_TEXT not in content
    assert_reveals_nothing(content)
    assert "Content-Security-Policy" in response


def test_csrf_failure_on_the_login_form():
    response = Client(enforce_csrf_checks=True).post(
        "/accounts/login/", {"login": "someone@example.org", "password": "not-a-password"}
    )

    assert response.status_code == 403
    content = response.content.decode()
    assert "Form expired" in content
    assert_reveals_nothing(content)
