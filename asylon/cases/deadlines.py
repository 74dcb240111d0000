"""Compute a deadline from a legal rule and the date of its start event. Pure functions: no database access.

The start day is not counted: a 14-day period from service on 1 March ends on 15 March. Months
end on the same day number of the target month, or on its last day when that month is shorter
(31 January + 1 month = 28 or 29 February). When the last day is a Saturday, Sunday or public
holiday of the rule's jurisdiction and the rule says so, the time limit ends on the next working
day (for Lithuania: Civil Code Art. 1.121). Public holidays come from the `holidays` package.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import holidays

from asylon.vocab.models import LegalRule, PeriodUnit

SATURDAY = 5


@dataclass(frozen=True)
class DeadlineComputation:
    """How a due date was derived: the rule, the start, the raw end, and any move to a working day."""

    rule_id: str
    rule_code: str
    jurisdiction: str
    period_value: int
    period_unit: str
    start_event: str
    verification_status: str
    start: date
    raw_end: date
    due_on: date
    moved: bool
    moved_reason: str
    skipped: tuple[date, ...]
    calendar: str

    def as_json(self) -> dict[str, Any]:
        """The computation as JSON-safe values for Deadline.computation, stored in clear.

        The start (a served or decided date), the raw end and the skipped days are left out: the
        start is an encrypted event date, and the other two would give it back. What remains says
        which rule produced the due date and whether it was moved to a working day.
        """
        return {
            "rule_id": self.rule_id,
            "rule_code": self.rule_code,
            "jurisdiction": self.jurisdiction,
            "period_value": self.period_value,
            "period_unit": self.period_unit,
            "start_event": self.start_event,
            "verification_status": self.verification_status,
            "due_on": self.due_on.isoformat(),
            "moved": self.moved,
            "moved_reason": self.moved_reason,
            "calendar": self.calendar,
        }


def public_holidays(*, jurisdiction: str, year: int) -> holidays.HolidayBase:
    """The public-holiday calendar of a jurisdiction (ISO 3166-1 alpha-2), extending itself to later years."""
    try:
        return holidays.country_holidays(jurisdiction.upper(), years=year)
    except NotImplementedError as error:
        raise ValueError(f"No public-holiday calendar for jurisdiction {jurisdiction!r}") from error


def is_working_day(*, day: date, holiday_calendar: holidays.HolidayBase) -> bool:
    """True unless the day is a Saturday, a Sunday or a public holiday."""
    return day.weekday() < SATURDAY and day not in holiday_calendar


def add_months(*, start: date, months: int) -> date:
    """The same day number `months` later, clamped to the last day of a shorter month."""
    year, month_index = divmod(start.month - 1 + months, 12)
    year += start.year
    last_day = calendar.monthrange(year, month_index + 1)[1]
    return date(year, month_index + 1, min(start.day, last_day))


def _add_working_days(*, start: date, count: int, holiday_calendar: holidays.HolidayBase) -> date:
    day = start
    while count > 0:
        day += timedelta(days=1)
        if is_working_day(day=day, holiday_calendar=holiday_calendar):
            count -= 1
    return day


def _raw_end(*, rule: LegalRule, start: date, holiday_calendar: holidays.HolidayBase) -> date:
    if rule.period_unit == PeriodUnit.DAYS:
        return start + timedelta(days=rule.period_value)
    if rule.period_unit == PeriodUnit.WORKING_DAYS:
        return _add_working_days(start=start, count=rule.period_value, holiday_calendar=holiday_calendar)
    if rule.period_unit == PeriodUnit.MONTHS:
        return add_months(start=start, months=rule.period_value)
    raise ValueError(f"Legal rule {rule.code!r} has an unknown period unit {rule.period_unit!r}")


def _moved_reason(*, skipped: list[date], holiday_calendar: holidays.HolidayBase) -> str:
    kinds = {"public_holiday" if day in holiday_calendar else "weekend" for day in skipped}
    if kinds == {"public_holiday", "weekend"}:
        return "weekend_and_public_holiday"
    return kinds.pop() if kinds else ""


def deadline_due(*, rule: LegalRule, start: date) -> DeadlineComputation:
    """The due date of `rule` counted from `start` (the date of its start event), with how it was computed."""
    holiday_calendar = public_holidays(jurisdiction=rule.jurisdiction, year=start.year)
    raw_end = _raw_end(rule=rule, start=start, holiday_calendar=holiday_calendar)
    due_on = raw_end
    skipped: list[date] = []
    if rule.roll_forward_to_working_day:
        while not is_working_day(day=due_on, holiday_calendar=holiday_calendar):
            skipped.append(due_on)
            due_on += timedelta(days=1)
    return DeadlineComputation(
        rule_id=str(rule.pk),
        rule_code=rule.code,
        jurisdiction=rule.jurisdiction.upper(),
        period_value=rule.period_value,
        period_unit=rule.period_unit,
        start_event=rule.start_event,
        verification_status=rule.verification_status,
        start=start,
        raw_end=raw_end,
        due_on=due_on,
        moved=bool(skipped),
        moved_reason=_moved_reason(skipped=skipped, holiday_calendar=holiday_calendar),
        skipped=tuple(skipped),
        calendar=f"holidays {holidays.__version__} {rule.jurisdiction.upper()}",
    )
