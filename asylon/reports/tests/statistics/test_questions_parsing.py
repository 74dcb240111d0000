"""validate() and question_from_params(): good questions pass, bad ones raise QuestionError (never
another exception), including every naughty string in every position."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from asylon.reports.statistics.aggregates import QuestionError, question_from_params, validate
from asylon.reports.statistics.questions import Period, Question
from tests.naughty import naughty_strings

THREAT = "declared_national_security_threat"


@pytest.mark.django_db
def test_parses_a_full_question():
    question = question_from_params(
        {
            "measure": "event",
            "of": f"{THREAT}, visa_refused",
            "by": "year,citizenship",
            "from": "2023-01",
            "to": "2023-06",
            "citizenship": "by,unknown",
            "half": "2023-h1",
        }
    )
    assert question == Question.build(
        "event",
        of=["visa_refused", THREAT],
        by=["year", "citizenship"],
        filters={"citizenship": ["BY", "unknown"], "half": ["2023-H1"]},
        period=Period((2023, 1), (2023, 6)),
    )


@pytest.mark.django_db
def test_parses_a_query_dict_and_whole_years():
    question = question_from_params(QueryDict("measure=appeal&from=2022&to=2023&appeal_result=won&appeal_result=lost"))
    assert question.period == Period((2022, 1), (2023, 12))
    assert question.filter_map == {"appeal_result": ("lost", "won")}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"measure": "nothing"},
        {"measure": "event,decision"},
        {"measure": "event", "colour": "red"},
        {"measure": "event", "of": "not_a_type"},
        {"measure": "event", "of": "residence_permit_temporary"},  # a decision type, not an event type
        {"measure": "appeal", "of": "appeal_lodged"},
        {"measure": "event", "by": "year,citizenship,sex"},
        {"measure": "event", "by": "year,year"},
        {"measure": "event", "by": "length"},
        {"measure": "event", "from": "2023-13"},
        {"measure": "event", "from": "2023-06", "to": "2023-01"},
        {"measure": "event", "from": "23"},
        {"measure": "event", "from": "2023,2024"},
        {"measure": "appeal", "from": "2023-03"},
        {"measure": "event", "citizenship": "BYE"},
        {"measure": "event", "citizenship": ""},
        {"measure": "event", "year": "20x3"},
        {"measure": "event", "year": "0999"},
        {"measure": "event", "half": "2023-H3"},
        {"measure": "event", "sex": "robot"},
        {"measure": "event", "grounds": "no_such_ground"},
        {"measure": "detention", "length": "forever"},
        {"measure": "event", "citizenship": ",".join(f"{chr(65 + n // 26)}{chr(65 + n % 26)}" for n in range(101))},
        {"measure": ["event", 3]},
        {3: "event"},
    ],
)
def test_bad_parameters_are_question_errors(params):
    with pytest.raises(QuestionError) as raised:
        question_from_params(params)
    assert str(raised.value)


@pytest.mark.django_db
def test_naughty_strings_are_question_errors_in_every_position():
    keys = ["measure", "of", "by", "from", "to", "citizenship", "grounds", "year", "half", "sex", "length"]
    for naughty in naughty_strings():
        for key in keys:
            params = {"measure": "detention" if key == "length" else "event", key: naughty}
            try:  # a question, or a QuestionError; any other exception fails the test
                question_from_params(params)
            except QuestionError as error:
                assert str(error)
        with pytest.raises(QuestionError):
            question_from_params({"measure": "event", naughty: "x"})


@pytest.mark.django_db
def test_validate_checks_a_built_question():
    validate(Question.build("event", of=[THREAT], by=["year"]))
    for question in [
        Question.build("nothing"),
        Question.build("event", filters={"length": ["d0_7"]}),
        Question.build("event", period=Period((2023, 1), (2022, 1))),
        Question.build("detention", of=["detention_ordered"]),
        Question("event", by=("year", "sex", "citizenship")),
    ]:
        with pytest.raises(QuestionError):
            validate(question)
