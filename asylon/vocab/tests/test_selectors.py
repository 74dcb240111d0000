"""Vocabulary and legal-rule selectors: organisation overrides, unknown codes, label matching."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from asylon.accounts.models import Organisation
from asylon.vocab import codes
from asylon.vocab.models import LegalRule, Term, Vocabulary
from asylon.vocab.selectors import legal_rules_for, term, term_by_label, terms, terms_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return Organisation.objects.create(name="Our House", slug="our-house")


@pytest.fixture
def other_organisation():
    return Organisation.objects.create(name="Other", slug="other")


def instance_vocabulary(code):
    return Vocabulary.objects.get(code=code, organisation=None)


def org_term(organisation, vocabulary, code, en, **fields):
    labels = {"en": en, "be": f"{en} (be)", "ru": f"{en} (ru)", "uk": f"{en} (uk)", "lt": f"{en} (lt)"}
    return Term.objects.create(
        vocabulary=instance_vocabulary(vocabulary), organisation=organisation, code=code, labels=labels, **fields
    )


def test_term_returns_the_instance_term():
    found = term(vocabulary=codes.EVENT_TYPE, code="summons_issued")
    assert found.organisation_id is None
    assert found.labels["en"] == "Summons issued"


def test_an_organisation_term_overrides_the_instance_term_for_that_organisation_only(organisation, other_organisation):
    override = org_term(organisation, codes.EVENT_TYPE, "summons_issued", "Call-up papers delivered")

    assert term(vocabulary=codes.EVENT_TYPE, code="summons_issued", organisation=organisation) == override
    assert term(vocabulary=codes.EVENT_TYPE, code="summons_issued", organisation=other_organisation) != override
    assert term(vocabulary=codes.EVENT_TYPE, code="summons_issued").organisation_id is None


def test_choices_include_additions_and_exclude_overridden_instance_terms(organisation, other_organisation):
    instance_count = terms_of(vocabulary=codes.GROUNDS).count()
    override = org_term(organisation, codes.GROUNDS, "credibility", "Credibility (our wording)")
    addition = org_term(organisation, codes.GROUNDS, "reserve_officer_rank", "Reserve officer rank", position=99)

    choices = list(terms_of(vocabulary=codes.GROUNDS, organisation=organisation))

    assert len(choices) == instance_count + 1
    assert override in choices
    assert addition in choices
    assert [t.code for t in choices].count("credibility") == 1
    assert addition not in terms_of(vocabulary=codes.GROUNDS, organisation=other_organisation)
    assert addition not in terms_of(vocabulary=codes.GROUNDS)


def test_an_inactive_override_hides_the_instance_term(organisation):
    org_term(organisation, codes.GROUNDS, "public_order", "Public order", active=False)

    assert "public_order" not in terms_of(vocabulary=codes.GROUNDS, organisation=organisation).values_list(
        "code", flat=True
    )
    with pytest.raises(ValidationError):
        term(vocabulary=codes.GROUNDS, code="public_order", organisation=organisation)
    assert term(vocabulary=codes.GROUNDS, code="public_order").code == "public_order"


def test_an_organisation_vocabulary_of_its_own_is_visible_to_it_only(organisation, other_organisation):
    own = Vocabulary.objects.create(organisation=organisation, code="funding_source", labels={"en": "Funding"})
    Term.objects.create(vocabulary=own, organisation=organisation, code="private_donors", labels={"en": "Donors"})

    assert term(vocabulary="funding_source", code="private_donors", organisation=organisation).code == "private_donors"
    with pytest.raises(ValidationError):
        term(vocabulary="funding_source", code="private_donors", organisation=other_organisation)


def test_unknown_code_error_names_the_vocabulary_and_the_code():
    with pytest.raises(ValidationError) as caught:
        term(vocabulary=codes.DECISION_TYPE, code="horoscope")
    message = caught.value.messages[0]
    assert "horoscope" in message
    assert codes.DECISION_TYPE in message
    assert caught.value.code == "unknown_term"


def test_a_code_of_another_vocabulary_is_unknown():
    with pytest.raises(ValidationError):
        term(vocabulary=codes.GROUNDS, code="summons_issued")


def test_an_inactive_instance_term_is_refused():
    Term.objects.filter(vocabulary__code=codes.DECISION_OUTCOME, code="upheld").update(active=False)
    with pytest.raises(ValidationError) as caught:
        term(vocabulary=codes.DECISION_OUTCOME, code="upheld")
    assert "upheld" in caught.value.messages[0]


def test_terms_keep_the_order_asked_and_list_every_unknown_code():
    found = terms(vocabulary=codes.GROUNDS, codes=["public_order", "credibility", "no_valid_passport"])
    assert [t.code for t in found] == ["public_order", "credibility", "no_valid_passport"]
    assert terms(vocabulary=codes.GROUNDS, codes=[]) == []

    with pytest.raises(ValidationError) as caught:
        terms(vocabulary=codes.GROUNDS, codes=["credibility", "bad_vibes", "astrology"])
    message = caught.value.messages[0]
    assert "bad_vibes" in message
    assert "astrology" in message
    assert "credibility" not in message


@pytest.mark.parametrize(
    "text",
    [
        "visa_refused",
        "VISA_REFUSED",
        "Visa refused",
        "  visa   REFUSED ",
        "Адмова ў візе",
        "ОТКАЗ В ВИЗЕ",
        "Відмова у візі",
        "atsisakyta išduoti vizą",
    ],
)
def test_term_by_label_matches_code_or_a_label_in_any_language(text):
    assert term_by_label(vocabulary=codes.EVENT_TYPE, text=text).code == "visa_refused"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Запроваджено заборону на в'їзд", "entry_ban_imposed"),  # ASCII apostrophe for the typographic one
        ("Запроваджено заборону на вʼїзд", "entry_ban_imposed"),  # modifier letter apostrophe
        ("Введен запрет на въезд", "entry_ban_imposed"),  # written without ё
        ("Уведзена забарона на ўезд", "entry_ban_imposed"),
        ("Uždrausta atvykti į šalį", "entry_ban_imposed"),
    ],
)
def test_term_by_label_tolerates_apostrophes_and_yo(text, code):
    assert term_by_label(vocabulary=codes.EVENT_TYPE, text=text).code == code


def test_term_by_label_uses_the_organisation_override(organisation):
    org_term(organisation, codes.GROUNDS, "credibility", "Not believed")
    assert term_by_label(vocabulary=codes.GROUNDS, text="not believed", organisation=organisation).organisation_id
    with pytest.raises(ValidationError):
        term_by_label(vocabulary=codes.GROUNDS, text="not believed")


def test_term_by_label_rejects_unknown_and_ambiguous_text(organisation):
    with pytest.raises(ValidationError) as caught:
        term_by_label(vocabulary=codes.GROUNDS, text="bad vibes")
    assert "bad vibes" in caught.value.messages[0]
    with pytest.raises(ValidationError):
        term_by_label(vocabulary=codes.GROUNDS, text="   ")

    org_term(organisation, codes.GROUNDS, "old_public_order", "Threat to public order")
    with pytest.raises(ValidationError) as caught:
        term_by_label(vocabulary=codes.GROUNDS, text="threat to public order", organisation=organisation)
    assert caught.value.code == "ambiguous_term"


def test_legal_rules_for_a_decision_type_and_jurisdiction():
    asylum = term(vocabulary=codes.DECISION_TYPE, code="asylum")
    found = {rule.code for rule in legal_rules_for(decision_type=asylum, jurisdiction="LT")}
    assert found == {"lt_asylum_appeal", "lt_asylum_decision_due", "lt_asylum_appeal_tier2"}
    assert legal_rules_for(decision_type=asylum, jurisdiction="lt")
    assert legal_rules_for(decision_type=asylum, jurisdiction="PL") == []


def test_legal_rules_in_force_on_the_date():
    visa = term(vocabulary=codes.DECISION_TYPE, code="visa")
    LegalRule.objects.filter(code="lt_visa_appeal").update(
        valid_from=datetime.date(2020, 1, 1), valid_until=datetime.date(2022, 12, 31)
    )

    def codes_on(day):
        return [rule.code for rule in legal_rules_for(decision_type=visa, jurisdiction="LT", on=day)]

    assert codes_on(datetime.date(2019, 12, 31)) == []
    assert codes_on(datetime.date(2020, 1, 1)) == ["lt_visa_appeal"]
    assert codes_on(datetime.date(2022, 12, 31)) == ["lt_visa_appeal"]
    assert codes_on(datetime.date(2023, 1, 1)) == []


def test_an_organisation_rule_overrides_the_instance_rule_with_its_code(organisation, other_organisation):
    instance_rule = LegalRule.objects.get(code="lt_visa_appeal", organisation=None)
    own = LegalRule.objects.get(pk=instance_rule.pk)
    own.pk = None
    own.organisation = organisation
    own.period_value = 10
    own.verification_status = "verified"
    own.save()
    # An organisation's override of the decision-type term still finds the rules.
    visa_override = org_term(organisation, codes.DECISION_TYPE, "visa", "Visa (ours)")

    mine = legal_rules_for(decision_type=visa_override, jurisdiction="LT", organisation=organisation)
    instance_visa = instance_rule.decision_type
    theirs = legal_rules_for(decision_type=instance_visa, jurisdiction="LT", organisation=other_organisation)

    assert [(rule.code, rule.period_value, rule.organisation_id) for rule in mine] == [
        ("lt_visa_appeal", 10, organisation.pk)
    ]
    assert [(rule.code, rule.period_value, rule.organisation_id) for rule in theirs] == [("lt_visa_appeal", 14, None)]
