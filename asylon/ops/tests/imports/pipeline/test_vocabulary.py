"""Vocabulary values by code or by a label in any of the five languages; organisation overrides; countries."""

from __future__ import annotations

import pytest

from asylon.ops.imports.vocabulary import Matcher
from asylon.people.models import MilitaryServiceType, Sex
from asylon.vocab import codes
from asylon.vocab.models import Term
from tests.factories import term_of

SUMMONS = {
    "code": "summons_issued",
    "en": "Summons issued",
    "be": "Выдадзена позва",
    "ru": "Выдана повестка",
    "uk": "Видано повістку",
    "lt": "Įteiktas šaukimas",
}


@pytest.mark.parametrize("language", list(SUMMONS))
def test_event_type_by_code_or_label_in_each_language(organisation, language):
    summons = term_of(codes.EVENT_TYPE, "summons_issued")
    text = SUMMONS[language]
    matcher = Matcher(organisation)
    assert matcher.term_id(codes.EVENT_TYPE, text) == (summons.pk, "")
    assert matcher.term_id(codes.EVENT_TYPE, f"  {text.upper()}  ") == (summons.pk, "")


def test_unknown_term_names_the_text(organisation):
    term_id, problem = Matcher(organisation).term_id(codes.EVENT_TYPE, "Abducted by aliens")
    assert term_id is None and "Abducted by aliens" in problem


def test_organisation_override_is_respected(organisation):
    instance = term_of(codes.EVENT_TYPE, "summons_issued")
    override = Term.objects.create(
        vocabulary=instance.vocabulary,
        organisation=organisation,
        code="summons_issued",
        labels={"en": "Call-up paper"},
    )
    matcher = Matcher(organisation)
    assert matcher.term_id(codes.EVENT_TYPE, "Call-up paper") == (override.pk, "")
    assert matcher.term_id(codes.EVENT_TYPE, "summons_issued") == (override.pk, "")
    # The instance label it replaced no longer names it.
    assert matcher.term_id(codes.EVENT_TYPE, "Summons issued")[0] is None


def test_perpetrator_and_claim_basis(organisation):
    matcher = Matcher(organisation)
    assert (
        matcher.term_id(codes.DECISION_MAKER, "Департамент миграции")[0]
        == term_of(codes.DECISION_MAKER, "migration_department").pk
    )
    assert matcher.term_id(codes.CLAIM_BASIS, "conscientious_objection_religious")[0] is not None


@pytest.mark.parametrize("text", ["female", "FEMALE"])
def test_sex_by_value(organisation, text):
    assert Matcher(organisation).choice(Sex, text) == (Sex.FEMALE, "")


def test_choices_by_translated_label(organisation):
    from django.utils import translation

    matcher = Matcher(organisation)
    with translation.override("ru"):
        label = str(MilitaryServiceType.CONSCRIPT.label)
    assert matcher.choice(MilitaryServiceType, label) == (MilitaryServiceType.CONSCRIPT, "")


@pytest.mark.parametrize(
    ("text", "code"), [("BY", "BY"), ("by", "BY"), ("Belarus", "BY"), ("Беларусь", "BY"), ("pl", "PL")]
)
def test_countries_by_code_or_name(organisation, text, code):
    assert Matcher(organisation).country(text) == (code, "")


def test_unknown_country(organisation):
    code, problem = Matcher(organisation).country("Atlantis")
    assert code == "" and "Atlantis" in problem
