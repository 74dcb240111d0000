"""The public help form in the browser, with JavaScript off (Tor Browser's safest mode) and on, in English and
Belarusian: fill it in, send it, read the codename, open the status page with it and send more.

With JavaScript on, the altcha widget solves the proof of work in the browser: the test refuses every form
without a valid proof (no-JS limit 0), so an accepted form proves the widget ran under the page's CSP. With it
off, the same form posts as plain HTML. Either way the browser holds no cookie but the CSRF token.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from asylon.intake import abuse
from asylon.intake.models import IntakeMessage, IntakeSubmission
from asylon.intake.services.submissions import payload_of
from e2e.conftest import TIMEOUT_MS, axe_violations
from tests.factories import OrganisationFactory

pytestmark = [pytest.mark.sqlite_only, pytest.mark.django_db(transaction=True)]

NAME = {"en": "Ales the Tester", "be": "Алесь Выпрабавальнік"}
TEXT = {"en": "A summons came to my parents' flat.", "be": "Позва прыйшла на кватэру бацькоў."}


@pytest.fixture(autouse=True)
def fresh(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    abuse.forget_keys()


@pytest.fixture
def organisation(reference_data):
    return OrganisationFactory(name="Help Centre")


def browser_context(browser, *, javascript: bool, locale: str):
    context = browser.new_context(java_script_enabled=javascript, locale=locale)
    context.set_default_timeout(TIMEOUT_MS)
    return context


@pytest.mark.parametrize("language", ["en", "be"])
@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
def test_send_the_form_read_the_codename_and_open_the_status_page(
    live_server, browser, organisation, settings, language, javascript
):
    if javascript:
        settings.ASYLON_INTAKE_RATE_LIMITS = {"submit_nojs": (0, 3600)}  # only a solved proof of work gets through
    prefix = "" if language == "en" else f"/{language}"
    context = browser_context(browser, javascript=javascript, locale="be-BY" if language == "be" else "en-GB")
    page = context.new_page()
    csp_errors: list[str] = []
    page.on("console", lambda message: csp_errors.append(message.text) if "Content Security" in message.text else None)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))

    page.goto(f"{live_server.url}{prefix}/help/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.fill("#id_name", NAME[language])
    page.fill("#id_contact", "Signal: +370 600 12345")
    page.locator("input[name=situations][value=summons_issued]").check()
    page.fill("#id_deadline_on", "2031-05-04")
    page.fill("#id_text", TEXT[language])
    if javascript:
        assert not axe_violations(page)
        page.wait_for_function(
            "() => { const f = document.querySelector('input[name=altcha]'); return f && f.value.length > 20; }"
        )
    page.locator("form.help-form button[type=submit]").click()

    codename = page.locator("#codename").inner_text().strip()
    if javascript:
        assert not axe_violations(page)
    assert len(codename.split("-")) >= 6
    submission = IntakeSubmission.objects.get()
    assert payload_of(submission)["name"] == NAME[language]
    assert payload_of(submission)["text"] == TEXT[language]
    assert payload_of(submission)["language"] == language
    assert codename not in page.url

    page.goto(f"{live_server.url}{prefix}/help/status/")
    page.fill("#id_codename", codename.upper().replace("-", " "))
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#replies-heading")).to_be_visible()
    if javascript:
        assert not axe_violations(page)
    page.fill("#id_body", TEXT[language] + " +1")
    page.locator("main section[aria-labelledby=more-heading] button[type=submit]").click()
    expect(page.locator("main .messages")).to_be_visible()
    assert IntakeMessage.objects.get(submission=submission).body == TEXT[language] + " +1"

    assert {cookie["name"] for cookie in context.cookies()} <= {"csrftoken"}
    assert all(url.startswith(live_server.url) for url in requests), "a request left the origin"
    assert codename.lower() not in " ".join(requests).lower()
    assert not csp_errors, csp_errors
    if javascript:
        assert any("/help/altcha/" in url for url in requests) and any("worker.js" in url for url in requests)
    context.close()
