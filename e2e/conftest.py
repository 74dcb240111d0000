"""Browser journeys: Debian's Chromium driven by Playwright against pytest-django's live server.

Playwright's own browser downloads are not used: `make deps` installs /usr/bin/chromium. The live
server runs on http://localhost (WebAuthn refuses IP addresses), and Chromium's virtual
authenticator (DevTools protocol) stands in for a passkey.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 20_000
E2E_DIR = Path(__file__).resolve().parent


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser journeys run last: their live server holds a connection to the test database, which
    tests that replace database files (the restore drill) must not meet."""
    items.sort(key=lambda item: Path(str(item.path)).is_relative_to(E2E_DIR))


@pytest.fixture(scope="module")
def live_server(request: pytest.FixtureRequest) -> Iterator[Any]:
    """pytest-django's live server at http://localhost, stopped after each module, not at session end."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer(request.config.getvalue("liveserver") or "localhost")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser(django_db_setup: Any) -> Iterator[Any]:
    """One Chromium per module (overrides pytest-playwright's, which wants its own download)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: run `make deps` (Debian package chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls in the tests are sync.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context (no cookies) and page per test."""
    context = browser.new_context(locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def passkey_authenticator(page: Any) -> dict[str, Any]:
    """A CTAP2 platform authenticator with resident keys and user verification, on this page's context."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    result = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return {"cdp": cdp, "authenticator_id": result["authenticatorId"]}


AXE_SCRIPT = E2E_DIR / "vendor" / "axe-core-4.11.4.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture
def reference_data(transactional_db: Any) -> None:
    """The vocabularies and legal rules: a transactional test flushes what the data migration loaded."""
    from asylon.vocab.loading import load_reference_data

    load_reference_data()


def sign_in_context(context: Any, base_url: str, user: Any) -> None:
    """Give a browser context the session of a user who passed password and second factor.

    The sign-in form itself is exercised by the MFA and passkey journeys; other journeys start signed in.
    """
    from django.conf import settings
    from django.test import Client

    from tests.factories import sign_in

    client = sign_in(Client(), user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


def axe_violations(page: Any, *, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.0-2.2 A/AA rules) on the page; the violations of the given impacts.

    Injected through DevTools evaluation, which the page's Content-Security-Policy does not govern.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", AXE_TAGS
    )
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "targets": [node["target"] for node in violation["nodes"]],
        }
        for violation in result["violations"]
        if violation["impact"] in impacts
    ]
