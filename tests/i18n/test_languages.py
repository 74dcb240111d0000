"""Every interface language renders, is chosen by the URL prefix, and formats dates and numbers its way."""

from __future__ import annotations

import datetime
import decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation

from tests.factories import sign_in

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def prefixed(code: str, name: str) -> str:
    with translation.override(code):
        return reverse(name)


@pytest.mark.django_db
@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_the_login_page_renders_in_each_language(client, code):
    url = prefixed(code, "account_login")
    assert url.startswith("/accounts/" if code == settings.LANGUAGE_CODE else f"/{code}/accounts/")
    response = client.get(url)
    assert response.status_code == 200
    assert f'<html lang="{code}">' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_the_case_list_renders_in_each_language(client, caseworker, case, code):
    sign_in(client, caseworker)
    response = client.get(prefixed(code, "cases:case_list"))
    assert response.status_code == 200
    assert f'<html lang="{code}">' in response.content.decode()
    assert case.reference in response.content.decode()


@pytest.mark.django_db
def test_the_url_prefix_switches_the_language(client, caseworker, case):
    sign_in(client, caseworker)
    assert '<html lang="be">' in client.get("/be/cases/").content.decode()
    assert '<html lang="lt">' in client.get("/lt/cases/").content.decode()
    assert '<html lang="en">' in client.get("/cases/").content.decode()  # no prefix: English, whatever came before
    assert client.get("/en/cases/").status_code == 404  # the default language has no prefix


DAY = datetime.date(2026, 11, 26)
NUMBER = decimal.Decimal("1234.5")
EXPECTED = {
    # language: (DATE_FORMAT, SHORT_DATE_FORMAT, grouped number)
    "en": ("Nov. 26, 2026", "11/26/2026", "1,234.5"),
    "be": ("26 лістапада 2026 г.", "26.11.2026", "1\xa0234,5"),
    "ru": ("26 ноября 2026 г.", "26.11.2026", "1\xa0234,5"),
    "uk": ("26 листопада 2026 р.", "26.11.2026", "1\xa0234,5"),
    "lt": ("2026 m. lapkričio 26 d.", "2026-11-26", "1\xa0234,5"),
}


@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_dates_and_numbers_are_localised(code):
    long_date, short_date, number = EXPECTED[code]
    with translation.override(code):
        assert formats.date_format(DAY) == long_date
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == short_date
        assert formats.number_format(NUMBER, 1, force_grouping=True) == number
