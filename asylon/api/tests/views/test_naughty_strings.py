"""Bad input never makes a server error: the Big List of Naughty Strings in bodies and query parameters."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.core.cache import cache

from tests.naughty import naughty_strings

pytestmark = [pytest.mark.sqlite_only, pytest.mark.django_db]


def test_naughty_strings_are_stored_or_refused_never_a_500(api_client, caseworker, case, seeded):
    client = api_client(caseworker, "write")
    failures: list[str] = []
    for number, text in enumerate(naughty_strings()):
        cache.clear()  # the rate limit is not what this test is about
        answers = {
            "POST cases": client.post("/api/v1/cases/", {"summary": text, "reference": text[:40]}, format="json"),
            "POST persons/search": client.post("/api/v1/persons/search/", {"name": text[:200]}, format="json"),
            "GET persons?citizenship": client.get("/api/v1/persons/", {"citizenship": text[:2]}),
        }
        if number % 8 == 0:  # every string through two routes, an eighth through two more (time)
            answers["PATCH persons"] = client.patch(
                f"/api/v1/persons/{seeded['persons']}/", {"biography": text, "region": text[:60]}, format="json"
            )
            answers["GET vocabularies/<code>"] = client.get(f"/api/v1/vocabularies/{quote(text, safe='')}/")
        failures += [
            f"{where} {text!r}: {response.status_code}"
            for where, response in answers.items()
            if response.status_code >= 500
        ]
        failures += [
            f"{where} {text!r}: not JSON"
            for where, response in answers.items()
            if response.status_code != 404 and response["Content-Type"] != "application/json"
        ]
    assert not failures, "\n".join(failures[:20])
