"""The gettext catalogues are complete, checked, compiled and cover every string (docs/i18n.md).

For each of be, ru, uk, lt (ours, asylon/locale) and the third-party catalogues we supply
(asylon/locale_thirdparty: django-allauth in Belarusian).
"""

from __future__ import annotations

import gettext
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

pytestmark = pytest.mark.sqlite_only

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "asylon"
LANGUAGES = ("be", "ru", "uk", "lt")
CYRILLIC_LANGUAGES = ("be", "ru", "uk")
MAX_UNTRANSLATED_SHARE = 0.02
OURS = [PACKAGE / "locale" / lang / "LC_MESSAGES" / "django.po" for lang in LANGUAGES]
THIRD_PARTY = sorted((PACKAGE / "locale_thirdparty").glob("*/LC_MESSAGES/*.po"))
CATALOGUES = OURS + THIRD_PARTY

# What is not language: printf and brace placeholders, markup, entities, addresses.
NOT_WORDS = re.compile(
    r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|%[-#0 +]*\d*(?:\.\d+)?[sdifr%]|\{[^{}]*\}"
    r"|<[^>]+>|&[a-z]+;|&#\d+;|https?://\S+|\S+@\S+"
)
LETTER = re.compile(r"[^\W\d_]")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")


def catalogue_id(path: Path) -> str:
    return str(path.relative_to(PACKAGE))


def allowlisted_words() -> list[str]:
    lines = (Path(__file__).parent / "untranslated_allowlist.txt").read_text(encoding="utf-8").splitlines()
    return sorted({line.strip() for line in lines if line.strip() and not line.startswith("#")}, key=len, reverse=True)


def language_of(path: Path) -> str:
    return path.parent.parent.name


def translations(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def letters_left(text: str, allowed: list[str]) -> str:
    """The text without placeholders, markup and allow-listed words; '' when nothing is language."""
    text = NOT_WORDS.sub(" ", text)
    for word in allowed:
        text = text.replace(word, " ")
    return "".join(LETTER.findall(text))


def entries(path: Path) -> list[polib.POEntry]:
    return [entry for entry in polib.pofile(str(path)) if not entry.obsolete]


def test_every_language_has_a_catalogue():
    missing = [catalogue_id(path) for path in OURS if not path.exists()]
    assert not missing, f"run scripts/messages.sh to create: {missing}"
    assert THIRD_PARTY, "asylon/locale_thirdparty/be/LC_MESSAGES/django.po (allauth in Belarusian) is missing"


@pytest.mark.parametrize("path", CATALOGUES, ids=catalogue_id)
def test_no_entry_is_left_empty(path):
    empty = [entry.msgid for entry in entries(path) if not all(translations(entry))]
    assert not empty, f"{len(empty)} entries without a translation in {catalogue_id(path)}, first: {empty[:5]}"


@pytest.mark.parametrize("path", CATALOGUES, ids=catalogue_id)
def test_no_entry_is_fuzzy(path):
    fuzzy = [entry.msgid for entry in entries(path) if entry.fuzzy]
    assert not fuzzy, f"fuzzy entries in {catalogue_id(path)} (review, then drop the flag): {fuzzy[:10]}"


@pytest.mark.parametrize("path", CATALOGUES, ids=catalogue_id)
def test_translations_are_in_the_language(path):
    allowed = allowlisted_words()
    counted, same, latin_only = 0, [], []
    for entry in entries(path):
        sources = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
        for translation in filter(None, translations(entry)):
            if not letters_left(translation, allowed):
                continue  # placeholders, codes and names only
            counted += 1
            if translation in sources:
                same.append(entry.msgid)
            if language_of(path) in CYRILLIC_LANGUAGES and not CYRILLIC.search(letters_left(translation, allowed)):
                latin_only.append(translation)
    assert not latin_only, f"{catalogue_id(path)}: translations without a Cyrillic letter: {latin_only[:10]}"
    share = len(same) / counted if counted else 0.0
    assert share <= MAX_UNTRANSLATED_SHARE, (
        f"{catalogue_id(path)}: {len(same)} of {counted} translations equal their msgid ({share:.1%}); "
        f"translate them or add proper nouns to tests/i18n/untranslated_allowlist.txt: {same[:10]}"
    )


@pytest.mark.parametrize("path", CATALOGUES, ids=catalogue_id)
def test_msgfmt_check_passes(path):
    result = subprocess.run(
        ["msgfmt", "--check", "--output-file=/dev/null", str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("path", CATALOGUES, ids=catalogue_id)
def test_the_committed_mo_is_compiled_from_the_po(path, tmp_path):
    committed = path.with_suffix(".mo")
    assert committed.exists(), f"{catalogue_id(committed)} is missing: run scripts/messages.sh --compile"
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--output-file", str(fresh), str(path)], check=True, capture_output=True)
    with committed.open("rb") as old, fresh.open("rb") as new:
        assert gettext.GNUTranslations(old)._catalog == gettext.GNUTranslations(new)._catalog, (  # type: ignore[attr-defined]
            f"{catalogue_id(committed)} is out of date: run scripts/messages.sh --compile"
        )


def makemessages_options() -> list[str]:
    """The options scripts/messages.sh gives makemessages (one source of truth)."""
    script = (ROOT / "scripts" / "messages.sh").read_text(encoding="utf-8")
    found = re.search(r"^MAKEMESSAGES_OPTIONS=\((.*)\)$", script, re.MULTILINE)
    assert found, "MAKEMESSAGES_OPTIONS=(...) not found in scripts/messages.sh"
    return shlex.split(found.group(1))


def msgids(path: Path) -> set[tuple[str | None, str]]:
    return {(entry.msgctxt, entry.msgid) for entry in entries(path)}


def test_makemessages_on_a_copy_adds_no_msgid(tmp_path):
    copy = tmp_path / "asylon"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static", "locale_thirdparty"))
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    django_admin = Path(sys.executable).with_name("django-admin")
    result = subprocess.run(
        [str(django_admin), "makemessages", "--domain=django", "--locale=ru", *makemessages_options()],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    committed = PACKAGE / "locale" / "ru" / "LC_MESSAGES" / "django.po"
    added = msgids(copy / "locale" / "ru" / "LC_MESSAGES" / "django.po") - msgids(committed)
    assert not added, f"strings missing from the catalogues (run scripts/messages.sh): {sorted(added, key=str)[:20]}"
