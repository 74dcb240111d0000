"""The form's situations are event types of the vocabulary, offered in order with their translated labels."""

from asylon.intake.situations import SITUATIONS, situation_choices
from asylon.vocab.codes import EVENT_TYPE
from asylon.vocab.selectors import terms


def test_every_situation_is_an_active_event_type(db):
    assert [found.code for found in terms(vocabulary=EVENT_TYPE, codes=SITUATIONS)] == list(SITUATIONS)
    assert SITUATIONS == (
        "summons_issued",
        "criminal_case_opened",
        "temp_residence_refused",
        "declared_national_security_threat",
        "detention",
    )


def test_labels_come_in_the_asked_language(db):
    english = dict(situation_choices("en"))
    belarusian = situation_choices("be")
    assert [code for code, _label in belarusian] == list(SITUATIONS)
    assert english["summons_issued"] == "Summons issued"
    assert english["detention"] == "Detention"
    labels = dict(belarusian)
    assert labels["summons_issued"] != "Summons issued" and labels["summons_issued"]
    for language in ("ru", "uk", "lt"):
        assert dict(situation_choices(language))["detention"] not in ("", "detention", "Detention")


def test_an_organisation_override_relabels_its_situation(organisation):
    from asylon.vocab.models import Term

    instance = Term.objects.get(vocabulary__code=EVENT_TYPE, code="detention", organisation=None)
    Term.objects.create(
        vocabulary=instance.vocabulary,
        organisation=organisation,
        code="detention",
        labels={"en": "Detained (our wording)"},
    )
    assert dict(situation_choices("en", organisation))["detention"] == "Detained (our wording)"
    assert dict(situation_choices("en"))["detention"] == "Detention"
