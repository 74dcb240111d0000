"""The seeded reference data: every DOMAIN.md code, HURIDOCS codes, real translations, sourced legal rules."""

import re

import pytest

from asylon.vocab import codes
from asylon.vocab.loading import load_reference_data
from asylon.vocab.models import LANGUAGE_CODES, LegalRule, Term, VerificationStatus, Vocabulary

# Written out by hand from DOMAIN.md, "Controlled vocabulary", in its order (not read from the JSON).
ORIGIN_EVENTS = [
    "summons_issued",
    "call_up_regular",
    "call_up_mobilisation",
    "reserve_training_call",
    "exit_ban_imposed",
    "criminal_case_opened",
    "trial_in_absentia",
    "conviction",
    "search_or_wanted_notice",
    "added_to_extremist_list",
    "added_to_terrorist_list",
    "consular_service_denied",
    "passport_expired_abroad",
    "pressure_on_family",
    "interrogation",
    "property_confiscation",
    "arrest",
    "detention",
    "forced_return_or_extradition",
    "alternative_service_denied",
]
HOST_EVENTS = [
    "questionnaire_submitted",
    "security_service_referral",
    "security_service_negative_conclusion",
    "declared_national_security_threat",
    "temp_residence_refused",
    "temp_residence_not_extended",
    "temp_residence_revoked",
    "perm_residence_refused",
    "perm_residence_revoked",
    "visa_refused",
    "visa_revoked",
    "entry_ban_imposed",
    "sis_alert_entered",
    "asylum_application_lodged",
    "asylum_interview",
    "asylum_decision_delayed",
    "asylum_refused",
    "order_to_leave",
    "detention_ordered",
    "alternative_to_detention",
    "solitary_confinement",
    "release",
    "absconding",
    "expulsion_or_deportation",
    "refoulement",
    "legal_aid_refused_or_unavailable",
    "no_oral_hearing",
    "decision_not_served_or_not_translated",
]
EXPECTED = {
    codes.EVENT_TYPE: ["origin_country", *ORIGIN_EVENTS, "host_country", *HOST_EVENTS],
    codes.PROCEEDING_STEP: [
        "appeal_lodged",
        "appeal_decided",
        "deadline_restored",
        "echr_rule39_request",
        "echr_application",
        "un_communication",
    ],
    codes.INTERVENTION_TYPE: [
        "co_alert_sent",
        "press_release",
        "petition_to_overturn",
        "legal_aid_provided",
        "financial_aid_provided",
        "letter_to_authority",
    ],
    codes.DECISION_TYPE: [
        "residence_permit_temporary",
        "residence_permit_permanent",
        "residence_permit_replacement",
        "visa",
        "asylum",
        "entry_ban",
        "expulsion",
        "detention",
        "national_security_conclusion",
    ],
    codes.DECISION_OUTCOME: [
        "grant",
        "refuse",
        "revoke",
        "not_extend",
        "inadmissible",
        "manifestly_unfounded",
        "discontinued_or_withdrawn",
        "dublin_transfer",
        "refugee_status",
        "subsidiary_protection",
        "temporary_protection",
        "humanitarian_permit",
        "annulled_remitted",
        "upheld",
        "interim_measures_granted",
        "interim_measures_refused",
    ],
    codes.DECISION_MAKER: [
        "migration_department",
        "state_security_department",
        "state_border_guard_service",
        "regional_admin_court",
        "supreme_admin_court",
        "mfa_consulate",
        "echr",
        "un_body",
    ],
    codes.GROUNDS: [
        "national_security_threat_unspecified",
        "past_compulsory_military_service",
        "past_contract_military_service",
        "cadet_or_military_school",
        "police_or_security_service_employment",
        "state_enterprise_employment",
        "frequent_travel_to_origin",
        "relative_in_security_structures",
        "questionnaire_answers",
        "contacts_with_foreign_services",
        "public_order",
        "false_information",
        "no_valid_passport",
        "no_well_founded_fear",
        "military_duty_is_legitimate",
        "credibility",
        "internal_or_safe_third_country",
    ],
    codes.CLAIM_BASIS: [
        "conscientious_objection_religious",
        "conscientious_objection_secular",
        "refusal_unlawful_war",
        "desertion",
        "political_opinion_imputed",
        "protest_2020",
        "ngo_affiliation_extremist_designated",
        "risk_of_death_penalty",
    ],
}
HURIDOCS = {
    "property_confiscation": "130107",
    "arrest": "030101",
    "detention": "030102",
    "asylum_refused": "330103",
    "expulsion_or_deportation": "330101",
    "refoulement": "380101",
    "legal_aid_refused_or_unavailable": "350109",
}
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# Letters of the Russian alphabet that Belarusian or Ukrainian lack, and the reverse: a Russian text
# pasted as a Belarusian or Ukrainian label (or the other way round) shows up here.
NOT_BELARUSIAN = re.compile(r"[ищъ]", re.IGNORECASE)
NOT_UKRAINIAN = re.compile(r"[ыэёъ]", re.IGNORECASE)
NOT_RUSSIAN = re.compile(r"[іўєї]", re.IGNORECASE)


def instance_terms(vocabulary):
    return Term.objects.filter(vocabulary__code=vocabulary, vocabulary__organisation__isnull=True, organisation=None)


def translation_problems(labels):
    """What is wrong with one row's labels (empty when they are complete, distinct and in the right script)."""
    problems = [f"{language}: missing" for language in LANGUAGE_CODES if not labels.get(language, "").strip()]
    english = labels.get("en", "").strip().casefold()
    for language in ("be", "ru", "uk", "lt"):
        text = labels.get(language, "")
        if text.strip().casefold() == english:
            problems.append(f"{language}: same as English")
        if language in ("be", "ru", "uk") and not CYRILLIC.search(text):
            problems.append(f"{language}: no Cyrillic")
    for language, wrong in (("be", NOT_BELARUSIAN), ("uk", NOT_UKRAINIAN), ("ru", NOT_RUSSIAN)):
        if wrong.search(labels.get(language, "")):
            problems.append(f"{language}: letters of another alphabet")
    return problems


def test_translation_check_catches_untranslated_labels():
    good = {"en": "Visa", "be": "Віза", "ru": "Виза", "uk": "Віза", "lt": "Viza"}
    assert translation_problems(good) == []
    assert "lt: same as English" in translation_problems({**good, "lt": "visa"})
    assert "be: no Cyrillic" in translation_problems({**good, "be": "Viza"})
    assert "uk: letters of another alphabet" in translation_problems({**good, "uk": "Отказ в выдаче визы"})
    assert "ru: missing" in translation_problems({**good, "ru": " "})


@pytest.mark.django_db
@pytest.mark.parametrize("vocabulary", sorted(EXPECTED))
def test_every_domain_code_is_seeded_in_order(vocabulary):
    assert Vocabulary.objects.filter(code=vocabulary, organisation=None).exists()
    seeded = list(instance_terms(vocabulary).order_by("position").values_list("code", flat=True))
    assert seeded == EXPECTED[vocabulary]


@pytest.mark.django_db
def test_every_vocabulary_in_codes_is_seeded():
    assert set(Vocabulary.objects.filter(organisation=None).values_list("code", flat=True)) >= set(codes.ALL)
    assert set(EXPECTED) == set(codes.ALL)


@pytest.mark.django_db
def test_event_types_hang_under_origin_or_host_country():
    events = {term.code: term for term in instance_terms(codes.EVENT_TYPE).select_related("parent")}
    assert events["origin_country"].parent is None
    assert events["host_country"].parent is None
    assert {code for code in ORIGIN_EVENTS if events[code].parent.code == "origin_country"} == set(ORIGIN_EVENTS)
    assert {code for code in HOST_EVENTS if events[code].parent.code == "host_country"} == set(HOST_EVENTS)


@pytest.mark.django_db
def test_huridocs_codes_match_domain():
    seeded = dict(instance_terms(codes.EVENT_TYPE).exclude(huridocs_code="").values_list("code", "huridocs_code"))
    assert seeded == HURIDOCS


@pytest.mark.django_db
def test_every_label_is_translated_into_the_right_script():
    rows = [(f"vocabulary {v.code}", v.labels) for v in Vocabulary.objects.filter(organisation=None)]
    rows += [(f"term {t.vocabulary.code}.{t.code}", t.labels) for t in Term.objects.select_related("vocabulary")]
    rows += [(f"legal rule {r.code}", r.title) for r in LegalRule.objects.all()]
    problems = {name: found for name, labels in rows if (found := translation_problems(labels))}
    assert problems == {}


@pytest.mark.django_db
@pytest.mark.parametrize("vocabulary", sorted(EXPECTED))
def test_labels_are_unique_within_a_vocabulary(vocabulary):
    # term_by_label must not find two terms for one label.
    for language in LANGUAGE_CODES:
        labels = [term.labels[language].casefold() for term in instance_terms(vocabulary)]
        assert len(labels) == len(set(labels)), (vocabulary, language)


@pytest.mark.django_db
def test_legal_rules_are_sourced_and_marked():
    rules = LegalRule.objects.select_related("decision_type__vocabulary", "forum__vocabulary")
    assert rules.count() >= 10
    for rule in rules:
        assert rule.source_url.startswith("https://"), rule.code
        assert rule.source_title.strip(), rule.code
        assert rule.instrument.strip(), rule.code
        assert rule.verification_status in VerificationStatus.values, rule.code
        assert rule.decision_type.vocabulary.code == codes.DECISION_TYPE, rule.code
        assert rule.forum is None or rule.forum.vocabulary.code == codes.DECISION_MAKER, rule.code
    # Nothing in the seed is verified against the official text yet (DOMAIN.md: secondary sources).
    assert not rules.filter(verification_status=VerificationStatus.VERIFIED).exists()


@pytest.mark.django_db
def test_domain_deadlines_are_seeded_as_secondary_sources():
    visa = LegalRule.objects.get(code="lt_visa_appeal", organisation=None)
    assert (visa.period_value, visa.period_unit, visa.start_event) == (14, "days", "served")
    assert visa.forum.code == "regional_admin_court"
    assert visa.verification_status == VerificationStatus.SECONDARY
    asylum = LegalRule.objects.get(code="lt_asylum_decision_due", organisation=None)
    assert (asylum.period_value, asylum.period_unit, asylum.start_event) == (6, "months", "lodged")
    assert asylum.article == "81(1)"
    assert asylum.verification_status == VerificationStatus.SECONDARY
    detention = LegalRule.objects.get(code="lt_detention_court_review", organisation=None)
    assert (detention.period_value, detention.period_unit, detention.roll_forward_to_working_day) == (2, "days", False)
    assert detention.verification_status == VerificationStatus.UNVERIFIED


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    before = (Vocabulary.objects.count(), Term.objects.count(), LegalRule.objects.count())
    versions = dict(Term.objects.values_list("id", "version"))

    report = load_reference_data()

    assert (Vocabulary.objects.count(), Term.objects.count(), LegalRule.objects.count()) == before
    assert dict(Term.objects.values_list("id", "version")) == versions
    assert (report.terms_created, report.terms_updated, report.legal_rules_created, report.legal_rules_updated) == (
        0,
        0,
        0,
        0,
    )


@pytest.mark.django_db
def test_loading_restores_edited_labels_and_bumps_the_version():
    visa = Term.objects.get(vocabulary__code=codes.DECISION_TYPE, code="visa", organisation=None)
    visa.labels = {**visa.labels, "lt": "Vyza"}
    visa.save()
    rule = LegalRule.objects.get(code="lt_visa_appeal", organisation=None)
    rule.period_value = 99
    rule.save()

    report = load_reference_data()

    visa.refresh_from_db()
    rule.refresh_from_db()
    assert visa.labels["lt"] == "Viza"
    assert visa.version == 2
    assert rule.period_value == 14
    assert (report.terms_updated, report.legal_rules_updated) == (1, 1)


@pytest.mark.django_db
def test_management_command_loads(capsys):
    from django.core.management import call_command

    call_command("load_reference_data")
    assert "Reference data loaded" in capsys.readouterr().out
