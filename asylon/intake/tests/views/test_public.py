"""The public help pages: the form, its answer, the honeypot, the rate limits, altcha, the status page."""

from __future__ import annotations

import base64
import json
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from asylon.audit.models import AuditEntry
from asylon.evidence.tests import samples
from asylon.intake import abuse
from asylon.intake.models import IntakeFile, IntakeMessage, IntakeSubmission, MessageDirection
from asylon.intake.services.submissions import payload_of
from asylon.intake.services.triage import reply_send
from tests.factories import OrganisationFactory, staff

CODENAME = re.compile(r'<p class="codename" id="codename"[^>]*>([^<]+)</p>')
FORM = {
    "name": "Тэст Асоба",
    "contact": "signal: +370 600 11111",
    "situations": ["summons_issued", "detention"],
    "deadline_on": "2031-05-04",
    "text": "Мне прыйшла позва.",
}


@pytest.fixture
def client():
    return Client(enforce_csrf_checks=False)


def cache_keys() -> list[str]:
    """The default cache's keys, local memory or Redis."""
    store = cache._cache
    if isinstance(store, dict):
        return [str(key) for key in store]
    return [key.decode() for key in store.get_client().keys("*")]


def submitted_codename(response) -> str:
    match = CODENAME.search(response.content.decode())
    assert match, "no codename on the page"
    return match[1].strip()


def post_form(client, path="/help/", **changes):
    data = {**FORM, **changes}
    return client.post(path, {key: value for key, value in data.items() if value is not None})


def solved_altcha(client) -> str:
    challenge = client.get("/help/altcha/").json()
    return abuse.altcha_solution(challenge)


# --- the page ---------------------------------------------------------------------------------


def test_the_help_page_shows_the_form_and_sets_no_cookie_but_csrf(client, organisation):
    response = client.get("/help/")
    assert response.status_code == 200
    page = response.content.decode()
    for field in ('name="name"', 'name="contact"', 'name="situations"', 'name="deadline_on"', 'name="text"'):
        assert field in page
    assert 'type="file"' in page and "multiple" in page and 'name="website"' in page
    assert 'value="detention"' in page and 'value="summons_issued"' in page
    assert "<altcha-widget" in page and "/static/intake/altcha-2.3.0/altcha.js" in page
    assert not re.search(r'(src|href)="(https?:)?//', page), "a resource from another origin"
    assert set(response.cookies) <= {"csrftoken"}
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"


def test_the_page_speaks_the_language_of_its_prefix(client, organisation):
    page = client.get("/be/help/").content.decode()
    assert '<html lang="be">' in page
    assert 'action="/be/help/"' in page


def test_several_organisations_are_listed_and_each_has_its_own_form(client, organisation):
    other = OrganisationFactory()
    listing = client.get("/help/")
    assert listing.status_code == 200
    assert f"/help/{organisation.slug}/" in listing.content.decode()
    assert f"/help/{other.slug}/" in listing.content.decode()
    assert 'name="text"' in client.get(f"/help/{other.slug}/").content.decode()
    assert client.get("/help/no-such-organisation/").status_code == 404

    response = post_form(client, f"/help/{other.slug}/")
    assert response.status_code == 200
    assert IntakeSubmission.objects.get().organisation == other


def test_the_configured_organisation_is_served_when_there_are_several(client, organisation, settings):
    OrganisationFactory()
    settings.ASYLON_INTAKE_ORGANISATION = organisation.slug
    assert 'name="text"' in client.get("/help/").content.decode()


# --- submitting -------------------------------------------------------------------------------


def test_a_submission_is_stored_encrypted_and_answered_with_its_codename_once(client, organisation):
    response = post_form(client)
    assert response.status_code == 200
    codename = submitted_codename(response)
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    assert set(response.cookies) <= {"csrftoken"}
    submission = IntakeSubmission.objects.get()
    assert payload_of(submission) == {
        "name": FORM["name"],
        "contact": FORM["contact"],
        "situations": ["summons_issued", "detention"],
        "deadline_on": "2031-05-04",
        "text": FORM["text"],
        "language": "en",
    }
    assert submission.organisation == organisation
    entry = AuditEntry.objects.get(action="intake.submit")
    assert entry.remote_address is None and entry.actor is None
    assert codename.replace("-", "") not in json.dumps(entry.details)


def test_text_is_kept_exactly_as_typed(client, organisation):
    post_form(client, name="  Spaced  ", text="\n  indented\r\nline  ")
    payload = payload_of(IntakeSubmission.objects.get())
    assert payload["name"] == "  Spaced  "
    assert payload["text"] == "\n  indented\r\nline  "


def test_files_are_stored_with_the_submission(client, organisation):
    upload = [
        SimpleUploadedFile("позва.png", samples.png(), content_type="image/png"),
        SimpleUploadedFile("note.txt", "Позва".encode(), content_type="text/plain"),
    ]
    response = client.post("/help/", {**FORM, "files": upload})
    assert response.status_code == 200, response.content.decode()[:2000]
    submitted_codename(response)
    assert IntakeFile.objects.filter(submission=IntakeSubmission.objects.get()).count() == 2


def test_an_invalid_form_shows_translated_errors_and_stores_nothing(client, organisation):
    response = client.post("/ru/help/", {"name": "", "text": "", "deadline_on": "not a date"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Обязательное поле." in page  # Django's own Russian for a required field
    assert 'class="codename"' not in page
    assert IntakeSubmission.objects.count() == 0
    assert not AuditEntry.objects.filter(action="intake.submit").exists()


def test_the_service_refusal_is_shown_on_its_field_and_stores_nothing(client, organisation):
    response = post_form(client, text="", situations=None)
    assert response.status_code == 200
    assert "Tell us about your situation" in response.content.decode()
    assert IntakeSubmission.objects.count() == 0


def test_an_unknown_situation_is_refused(client, organisation):
    response = post_form(client, situations=["not_a_situation"])
    assert response.status_code == 200
    assert 'class="codename"' not in response.content.decode()
    assert IntakeSubmission.objects.count() == 0


def test_a_refused_file_stores_nothing(client, organisation):
    upload = SimpleUploadedFile("run.exe", b"MZ\x90\x00" + b"\x00" * 100, content_type="application/octet-stream")
    response = client.post("/help/", {**FORM, "files": [upload]})
    assert response.status_code == 200
    assert "run.exe" in response.content.decode()
    assert IntakeSubmission.objects.count() == 0 and IntakeFile.objects.count() == 0


def test_too_many_files_are_refused(client, organisation):
    uploads = [SimpleUploadedFile(f"n{i}.txt", b"note", content_type="text/plain") for i in range(6)]
    response = client.post("/help/", {**FORM, "files": uploads})
    assert response.status_code == 200
    assert IntakeSubmission.objects.count() == 0


def test_a_body_over_the_limit_is_refused_before_it_is_read(client, organisation, settings):
    settings.ASYLON_INTAKE_MAX_REQUEST_BYTES = 2048
    upload = SimpleUploadedFile("big.txt", b"x" * 4096, content_type="text/plain")
    response = client.post("/be/help/", {**FORM, "files": [upload]})
    assert response.status_code == 413
    assert '<html lang="be">' in response.content.decode()
    assert IntakeSubmission.objects.count() == 0


def test_the_honeypot_answers_alike_and_keeps_nothing(client, organisation):
    response = post_form(client, website="http://spam.example")
    assert response.status_code == 200
    assert submitted_codename(response)
    assert response["Referrer-Policy"] == "no-referrer"
    assert IntakeSubmission.objects.count() == 0
    assert not AuditEntry.objects.filter(action="intake.submit").exists()


# --- rate limits and altcha -------------------------------------------------------------------


def test_without_a_proof_of_work_the_stricter_limit_applies(client, organisation, settings):
    settings.ASYLON_INTAKE_RATE_LIMITS = {"submit_nojs": (2, 3600), "submit": (5, 3600)}
    assert post_form(client).status_code == 200
    assert post_form(client).status_code == 200
    refused = post_form(client, text="Трэці раз.")
    assert refused.status_code == 429
    assert "Трэці раз." in refused.content.decode()  # the text is still there to send later
    assert IntakeSubmission.objects.count() == 2
    # A valid proof of work counts under the other, larger limit.
    assert post_form(client, altcha=solved_altcha(client)).status_code == 200
    assert IntakeSubmission.objects.count() == 3


def test_the_limit_counts_per_address_and_keys_the_cache_by_a_keyed_digest(organisation, settings):
    settings.ASYLON_INTAKE_RATE_LIMITS = {"submit_nojs": (1, 3600)}
    first = Client(REMOTE_ADDR="198.51.100.23")
    second = Client(REMOTE_ADDR="198.51.100.24")
    assert post_form(first).status_code == 200
    assert post_form(first).status_code == 429
    assert post_form(second).status_code == 200
    keys = cache_keys()
    assert any(":intake:limit:submit_nojs:" in key for key in keys), "the counters are in the cache"
    assert not any("198.51.100" in key for key in keys)


def test_ipv6_clients_are_counted_by_their_64_network(organisation, settings):
    settings.ASYLON_INTAKE_RATE_LIMITS = {"submit_nojs": (1, 3600)}
    assert post_form(Client(REMOTE_ADDR="2001:db8:1:2::1")).status_code == 200
    assert post_form(Client(REMOTE_ADDR="2001:db8:1:2::ffff")).status_code == 429
    assert post_form(Client(REMOTE_ADDR="2001:db8:1:3::1")).status_code == 200


def test_onion_circuits_are_counted_one_by_one(organisation, settings):
    settings.ASYLON_INTAKE_RATE_LIMITS = {"submit_nojs": (1, 3600)}
    settings.ASYLON_TRUSTED_PROXIES = ["127.0.0.1"]
    circuit = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "fc00:dead:beef:4dad::1:2"}
    other = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "fc00:dead:beef:4dad::1:3"}
    assert post_form(Client(**circuit)).status_code == 200
    assert post_form(Client(**circuit)).status_code == 429
    assert post_form(Client(**other)).status_code == 200


def test_the_altcha_challenge_is_signed_json_and_not_cached(client, organisation):
    response = client.get("/help/altcha/")
    assert response.status_code == 200
    challenge = response.json()
    assert set(challenge) == {"algorithm", "challenge", "maxNumber", "salt", "signature"}
    assert challenge["maxNumber"] == 50  # the test settings' minimal work
    assert "expires=" in challenge["salt"]
    assert "no-store" in response["Cache-Control"]


def test_a_valid_altcha_solution_is_accepted_once(client, organisation):
    payload = solved_altcha(client)
    assert abuse.altcha_verified(payload)
    assert not abuse.altcha_verified(payload)  # replayed


def test_forged_or_malformed_altcha_payloads_are_not_proofs(client, organisation):
    challenge = client.get("/help/altcha/").json()
    good = json.loads(base64.b64decode(abuse.altcha_solution(challenge)))
    forged = base64.b64encode(json.dumps({**good, "signature": "0" * 64}).encode()).decode()
    wrong_number = base64.b64encode(json.dumps({**good, "number": good["number"] + 1}).encode()).decode()
    for payload in (forged, wrong_number, "not base64 at all", "", None, "e30=", "x" * 5000):
        assert not abuse.altcha_verified(payload)


def test_an_invalid_altcha_payload_falls_back_to_the_stricter_limit(client, organisation, settings):
    settings.ASYLON_INTAKE_RATE_LIMITS = {"submit_nojs": (1, 3600), "submit": (5, 3600)}
    assert post_form(client, altcha="bogus").status_code == 200
    assert post_form(client, altcha="bogus").status_code == 429
    assert IntakeSubmission.objects.count() == 1


# --- the status page ----------------------------------------------------------------------------


@pytest.fixture
def submitted(client, organisation):
    response = post_form(client)
    return IntakeSubmission.objects.get(), submitted_codename(response)


def test_the_status_page_asks_for_the_codename(client, organisation):
    response = client.get("/help/status/")
    assert response.status_code == 200
    assert 'name="codename"' in response.content.decode()
    assert set(response.cookies) <= {"csrftoken"}


def test_the_right_codename_shows_the_replies(client, organisation, submitted):
    submission, codename = submitted
    reply_send(actor=staff(organisation), submission=submission, body="Мы атрымалі. Напішыце, калі суд.")
    response = client.post("/help/status/", {"codename": codename.upper().replace("-", " ")})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Мы атрымалі. Напішыце, калі суд." in page
    assert FORM["text"] not in page  # the person's own words are not shown back
    assert f'value="{codename.upper().replace("-", " ")}"' in page  # for "send more", in the body only
    assert "no-store" in response["Cache-Control"]
    assert set(response.cookies) <= {"csrftoken"}


def test_a_wrong_codename_is_refused_and_rate_limited(client, organisation, submitted, settings):
    settings.ASYLON_INTAKE_RATE_LIMITS = {"codename_wrong": (2, 3600)}
    _submission, codename = submitted
    for _ in range(2):
        refused = client.post("/help/status/", {"codename": "wrong-words-entirely"})
        assert refused.status_code == 200
        assert "No submission matches this codename" in refused.content.decode()
    blocked = client.post("/help/status/", {"codename": codename})
    assert blocked.status_code == 429
    assert "Replies to your request" in blocked.content.decode()
    assert "Our replies" not in blocked.content.decode()


def test_send_more_adds_an_encrypted_message(client, organisation, submitted):
    submission, codename = submitted
    upload = SimpleUploadedFile("new.png", samples.png(), content_type="image/png")
    response = client.post("/help/status/", {"codename": codename, "body": "Суд 12 мая.", "files": [upload]})
    assert response.status_code == 200
    assert "Your message was sent." in response.content.decode()
    message = IntakeMessage.objects.get(submission=submission)
    assert message.direction == MessageDirection.FROM_PERSON and message.body == "Суд 12 мая."
    assert IntakeFile.objects.filter(message=message).count() == 1
    entry = AuditEntry.objects.get(action="intake.message")
    assert entry.remote_address is None


def test_send_more_with_a_wrong_codename_stores_nothing(client, organisation, submitted):
    response = client.post("/help/status/", {"codename": "no-such-codename-here", "body": "Hello"})
    assert response.status_code == 200
    assert "No submission matches this codename" in response.content.decode()
    assert IntakeMessage.objects.count() == 0


def test_send_more_honeypot_keeps_nothing(client, organisation, submitted):
    _submission, codename = submitted
    response = client.post("/help/status/", {"codename": codename, "body": "spam", "website": "x"})
    assert response.status_code == 200
    assert "Your message was sent." in response.content.decode()
    assert IntakeMessage.objects.count() == 0


def test_send_more_is_rate_limited(client, organisation, submitted, settings):
    settings.ASYLON_INTAKE_RATE_LIMITS = {"message": (1, 3600)}
    _submission, codename = submitted
    assert client.post("/help/status/", {"codename": codename, "body": "one"}).status_code == 200
    assert client.post("/help/status/", {"codename": codename, "body": "two"}).status_code == 429
    assert IntakeMessage.objects.count() == 1


def test_the_codename_never_appears_in_a_url_or_cookie(client, organisation, submitted):
    _submission, codename = submitted
    response = client.post("/help/status/", {"codename": codename})
    assert codename not in response.get("Location", "")
    assert all(codename not in morsel.value for morsel in response.cookies.values())
    assert "?codename=" not in response.content.decode()
