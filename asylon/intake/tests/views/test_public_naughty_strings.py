"""Every string of the Big List of Naughty Strings through every text field of the public pages.

Name, contact and free text of the help form, and the message of the status page: never a server error, and what
was accepted decrypts to exactly what was typed. A string a field refuses (a name of blanks only, one too long)
stores nothing, and the string then goes through the other fields with a plain name.
"""

from __future__ import annotations

import pytest
from django.test import Client

from asylon.intake.models import IntakeMessage, IntakeSubmission, MessageDirection
from asylon.intake.services.submissions import payload_of
from asylon.intake.tests.views.test_public import submitted_codename
from tests.naughty import naughty_strings

PLAIN_NAME = "Naughty Tester"


@pytest.fixture(autouse=True)
def generous_limits(settings):
    settings.ASYLON_INTAKE_RATE_LIMITS = {"submit_nojs": (100, 3600), "message": (100, 3600)}


def submit(client: Client, **fields: str):
    response = client.post("/help/", {"situations": ["summons_issued"], **fields})
    assert response.status_code == 200, f"{response.status_code} for {fields!r}"
    return response


@pytest.mark.sqlite_only
@pytest.mark.parametrize("text", naughty_strings())
def test_a_naughty_string_in_every_field_round_trips_or_is_refused(organisation, text):
    client = Client()
    response = submit(client, name=text, contact=text, text=text)
    if 'class="codename"' not in response.content.decode():
        assert IntakeSubmission.objects.count() == 0, "a refused form stored something"
        response = submit(client, name=PLAIN_NAME, contact=text, text=text)
    if 'class="codename"' not in response.content.decode():
        assert IntakeSubmission.objects.count() == 0, "a refused form stored something"
        response = submit(client, name=PLAIN_NAME, text=text)
        assert 'class="codename"' in response.content.decode(), "the free text alone was refused"
    submission = IntakeSubmission.objects.get()
    payload = payload_of(submission)
    for field in ("name", "contact", "text"):
        if payload[field] not in (PLAIN_NAME, ""):
            assert payload[field] == text, f"{field} changed on its way in"
    assert payload["text"] == text

    codename = submitted_codename(response)
    sent = client.post("/help/status/", {"codename": codename, "body": text})
    assert sent.status_code == 200
    message = IntakeMessage.objects.filter(submission=submission, direction=MessageDirection.FROM_PERSON).first()
    if message is not None:
        assert IntakeMessage.objects.get(pk=message.pk).body == text
    else:
        assert "Your message was sent." not in sent.content.decode()
        assert not text.strip(), "only a blank message may be refused"
