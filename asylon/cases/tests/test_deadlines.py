"""Deadline computation: calendar days, working days and months, weekends and Lithuanian public holidays."""

import dataclasses
import datetime
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asylon.cases.deadlines import add_months, deadline_due, is_working_day, public_holidays
from asylon.vocab.models import LegalRule, PeriodUnit, StartEvent, VerificationStatus

D = datetime.date


def rule(**fields):
    """An unsaved legal rule: the computation needs no database."""
    values = {
        "code": "lt_test_appeal",
        "jurisdiction": "LT",
        "deadline_kind": "appeal",
        "period_value": 14,
        "period_unit": PeriodUnit.DAYS,
        "start_event": StartEvent.SERVED,
        "roll_forward_to_working_day": True,
        "verification_status": VerificationStatus.SECONDARY,
        **fields,
    }
    return LegalRule(**values)


def test_the_start_day_is_not_counted():
    computation = deadline_due(rule=rule(), start=D(2024, 3, 1))
    assert computation.due_on == D(2024, 3, 15)
    assert computation.raw_end == D(2024, 3, 15)
    assert not computation.moved
    assert computation.moved_reason == ""
    assert computation.skipped == ()


def test_a_period_ending_on_a_saturday_moves_to_monday():
    computation = deadline_due(rule=rule(), start=D(2024, 3, 2))
    assert computation.raw_end == D(2024, 3, 16)
    assert computation.due_on == D(2024, 3, 18)
    assert computation.moved
    assert computation.moved_reason == "weekend"
    assert computation.skipped == (D(2024, 3, 16), D(2024, 3, 17))


def test_a_period_ending_on_christmas_eve_moves_past_christmas_and_the_weekend():
    computation = deadline_due(rule=rule(), start=D(2025, 12, 10))
    assert computation.raw_end == D(2025, 12, 24)
    assert computation.due_on == D(2025, 12, 29)
    assert computation.moved_reason == "weekend_and_public_holiday"
    assert computation.skipped == (D(2025, 12, 24), D(2025, 12, 25), D(2025, 12, 26), D(2025, 12, 27), D(2025, 12, 28))


@pytest.mark.parametrize(
    ("raw_end", "due_on", "reason"),
    [
        (D(2026, 2, 16), D(2026, 2, 17), "public_holiday"),  # Restoration of the State
        (D(2026, 3, 11), D(2026, 3, 12), "public_holiday"),  # Restoration of Independence
        (D(2025, 4, 21), D(2025, 4, 22), "public_holiday"),  # Easter Monday
        (D(2026, 5, 1), D(2026, 5, 4), "weekend_and_public_holiday"),  # a Friday
        (D(2026, 6, 24), D(2026, 6, 25), "public_holiday"),  # Midsummer (Joninės)
        (D(2026, 7, 6), D(2026, 7, 7), "public_holiday"),  # Statehood Day
        (D(2025, 8, 15), D(2025, 8, 18), "weekend_and_public_holiday"),  # Assumption, a Friday
        (D(2025, 11, 1), D(2025, 11, 3), "public_holiday"),  # All Saints' (Saturday) and All Souls' (Sunday)
        (D(2026, 11, 2), D(2026, 11, 3), "public_holiday"),  # All Souls' Day on a Monday
    ],
)
def test_a_period_ending_on_a_lithuanian_public_holiday_moves_to_the_next_working_day(raw_end, due_on, reason):
    computation = deadline_due(rule=rule(), start=raw_end - datetime.timedelta(days=14))
    assert computation.raw_end == raw_end
    assert computation.due_on == due_on
    assert computation.moved_reason == reason


def test_no_roll_forward_when_the_rule_says_so():
    detention = rule(code="lt_detention_court_review", period_value=2, roll_forward_to_working_day=False)
    computation = deadline_due(rule=detention, start=D(2025, 12, 5))  # a Friday
    assert computation.due_on == D(2025, 12, 7)  # a Sunday, kept
    assert not computation.moved
    assert computation.skipped == ()


@pytest.mark.parametrize(
    ("start", "months", "raw_end"),
    [
        (D(2023, 1, 31), 1, D(2023, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year
        (D(2024, 8, 31), 6, D(2025, 2, 28)),
        (D(2024, 11, 30), 3, D(2025, 2, 28)),  # across the year end
        (D(2023, 10, 17), 6, D(2024, 4, 17)),
        (D(2024, 3, 31), 1, D(2024, 4, 30)),
        (D(2024, 12, 15), 12, D(2025, 12, 15)),
    ],
)
def test_months_keep_the_day_number_clamped_to_the_month_end(start, months, raw_end):
    assert add_months(start=start, months=months) == raw_end
    computation = deadline_due(rule=rule(period_value=months, period_unit=PeriodUnit.MONTHS), start=start)
    assert computation.raw_end == raw_end


def test_months_ending_on_a_weekend_roll_forward():
    # 31 January 2026 + 1 month = 28 February 2026, a Saturday.
    computation = deadline_due(rule=rule(period_value=1, period_unit=PeriodUnit.MONTHS), start=D(2026, 1, 31))
    assert computation.raw_end == D(2026, 2, 28)
    assert computation.due_on == D(2026, 3, 2)


def test_working_days_skip_weekends_and_holidays():
    five_working_days = rule(period_value=5, period_unit=PeriodUnit.WORKING_DAYS)
    # From Friday 19 December 2025: 22, 23, (24-26 holidays, 27-28 weekend), 29, 30, 31.
    computation = deadline_due(rule=five_working_days, start=D(2025, 12, 19))
    assert computation.raw_end == D(2025, 12, 31)
    assert computation.due_on == D(2025, 12, 31)
    assert not computation.moved


def test_another_jurisdiction_uses_its_own_holidays():
    polish = rule(code="pl_test_appeal", jurisdiction="PL")
    # 11 November is Independence Day in Poland but a working day in Lithuania.
    assert deadline_due(rule=polish, start=D(2025, 10, 28)).due_on == D(2025, 11, 12)
    assert deadline_due(rule=rule(), start=D(2025, 10, 28)).due_on == D(2025, 11, 11)


def test_an_unknown_jurisdiction_is_a_clear_error():
    with pytest.raises(ValueError, match="jurisdiction 'XX'"):
        deadline_due(rule=rule(jurisdiction="XX"), start=D(2025, 1, 1))


def test_as_json_holds_ids_codes_and_the_due_date_but_not_the_start():
    appeal = rule()
    computation = deadline_due(rule=appeal, start=D(2025, 12, 10))
    stored = computation.as_json()

    assert json.loads(json.dumps(stored)) == stored
    assert stored["rule_id"] == str(appeal.pk)
    assert stored["rule_code"] == "lt_test_appeal"
    assert stored["due_on"] == "2025-12-29"
    assert stored["moved"] is True
    assert not {"start", "raw_end", "skipped"} & set(stored)  # the start is an encrypted event date
    assert "2025-12-10" not in json.dumps(stored)
    assert stored["verification_status"] == "secondary_source"
    assert stored["calendar"].startswith("holidays ")


def test_the_computation_is_immutable():
    computation = deadline_due(rule=rule(), start=D(2024, 3, 1))
    with pytest.raises(dataclasses.FrozenInstanceError):
        computation.due_on = D(2030, 1, 1)


@settings(max_examples=200, derandomize=True, deadline=None)
@given(
    start=st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31)),
    period=st.integers(min_value=0, max_value=60),
    unit=st.sampled_from([PeriodUnit.DAYS, PeriodUnit.WORKING_DAYS, PeriodUnit.MONTHS]),
)
def test_the_due_date_is_the_first_working_day_on_or_after_the_raw_end(start, period, unit):
    computation = deadline_due(rule=rule(period_value=period, period_unit=unit), start=start)
    calendar = public_holidays(jurisdiction="LT", year=start.year)

    assert computation.raw_end >= start
    assert computation.due_on >= computation.raw_end
    assert is_working_day(day=computation.due_on, holiday_calendar=calendar)
    assert all(not is_working_day(day=day, holiday_calendar=calendar) for day in computation.skipped)
    assert (computation.due_on - computation.raw_end).days == len(computation.skipped)
