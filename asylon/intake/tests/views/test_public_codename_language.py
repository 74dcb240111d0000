"""The help form hands out a codename in the page's language where a word list is shipped (be, ru, uk, lt)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from asylon.intake import codename as codenames
from asylon.intake.models import IntakeSubmission
from asylon.intake.services.submissions import payload_of
from asylon.intake.services.triage import reply_send
from tests.factories import staff

CODENAME = re.compile(r'<p class="codename" id="codename"[^>]*>([^<]+)</p>')
FORM = {"name": "Тэст Асоба", "contact": "signal: +370 600 11111", "situations": ["detention"], "text": "Дапамажыце."}


@pytest.mark.parametrize("language", ["be", "ru", "uk", "lt"])
def test_the_form_in_a_language_with_a_word_list_hands_out_a_codename_from_it(organisation, language):
    client = Client()
    response = client.post(f"/{language}/help/", FORM)
    assert response.status_code == 200
    match = CODENAME.search(response.content.decode())
    assert match, "no codename on the page"
    codename = match[1].strip()
    words = codenames.wordlist(language)
    assert words != codenames.wordlist("en")
    parts = codename.split("-")
    assert len(parts) == codenames.words_needed(len(words))
    assert set(parts) <= set(words)
    submission = IntakeSubmission.objects.get()
    assert payload_of(submission)["language"] == language

    # Typed back in capitals with spaces, on the status page in any language, it finds the submission.
    reply_send(actor=staff(organisation), submission=submission, body="Мы атрымалі ваша паведамленне.")
    found = client.post("/help/status/", {"codename": codename.upper().replace("-", " ")})
    assert found.status_code == 200
    assert "Мы атрымалі ваша паведамленне." in found.content.decode()
