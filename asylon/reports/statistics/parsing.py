"""Questions from user input (GET filters, report directives), their validation, and their words.

question_from_params reads key=value strings: measure=, of=a,b, by=x,y, from=YYYY[-MM], to=YYYY[-MM]
and any dimension name as a filter (values comma separated). Anything it cannot read is a
QuestionError with a translated message, never another exception.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from asylon.reports.statistics.measures import (
    DIMENSIONS,
    KIND_CHOICE,
    KIND_COUNTRY,
    KIND_TIME,
    KIND_VOCABULARY,
    MEASURES,
    UNKNOWN,
    Dimension,
    term_codes,
)
from asylon.reports.statistics.questions import MAX_BREAKDOWNS, Period, Question

FIRST_YEAR, LAST_YEAR = 1900, 2100
MAX_VALUES = 100  # values of one filter; more is not a question a page or a report asks
_CODE = re.compile(r"[a-z0-9_]{1,64}")
_COUNTRY = re.compile(r"[A-Z]{2}")
_TIME = {
    "year": re.compile(r"([0-9]{4})"),
    "half": re.compile(r"([0-9]{4})-H([12])"),
    "quarter": re.compile(r"([0-9]{4})-Q([1-4])"),
}
_MONTH = re.compile(r"([0-9]{4})(?:-([0-9]{1,2}))?")
PARAMETERS = ("measure", "of", "by", "from", "to")


class QuestionError(ValueError):
    """A question that cannot be asked; the message is translated and names what is wrong."""


def _terms_known(vocabulary: str, codes: set[str]) -> set[str]:
    return codes & term_codes(vocabulary)


def _check_values(dimension: Dimension, values: tuple[str, ...]) -> None:
    if not values or len(values) > MAX_VALUES:
        raise QuestionError(
            _("Give between 1 and %(n)d values for “%(dimension)s”.") % {"n": MAX_VALUES, "dimension": dimension.name}
        )
    wrong = []
    for value in values:
        if value == UNKNOWN:
            continue
        if dimension.kind == KIND_TIME:
            match = _TIME[dimension.name].fullmatch(value)
            if not match or not FIRST_YEAR <= int(match[1]) <= LAST_YEAR:
                wrong.append(value)
        elif dimension.kind == KIND_COUNTRY:
            if not _COUNTRY.fullmatch(value):
                wrong.append(value)
        elif dimension.kind == KIND_CHOICE:
            if value not in dimension.values:
                wrong.append(value)
        elif not _CODE.fullmatch(value):
            wrong.append(value)
    if dimension.kind == KIND_VOCABULARY and not wrong:
        codes = {value for value in values if value != UNKNOWN}
        wrong = sorted(codes - _terms_known(dimension.vocabulary or "", codes))
    if wrong:
        raise QuestionError(
            _("Unknown value %(values)s for “%(dimension)s”.")
            % {"values": ", ".join(f"“{value[:64]}”" for value in wrong[:5]), "dimension": dimension.name}
        )


def _period_error() -> QuestionError:
    return QuestionError(
        _("A period runs from a year (and month) to a later one, for example from=2023-01 to=2023-06.")
    )


def _check_period(period: Period, monthly: bool) -> None:
    for end in (period.start, period.end):
        if end is None:
            continue
        year, month = end
        if not FIRST_YEAR <= year <= LAST_YEAR or not 1 <= month <= 12:
            raise _period_error()
    if period.start and period.end and period.start > period.end:
        raise QuestionError(_("The period ends before it starts."))
    if not monthly and ((period.start and period.start[1] != 1) or (period.end and period.end[1] != 12)):
        raise QuestionError(_("This measure is recorded by year only: give whole years (from=2023 to=2024)."))


def validate(question: Question) -> None:
    """Raise QuestionError for an unknown measure, dimension or code, more than two breakdowns, or a bad period."""
    measure = MEASURES.get(question.measure)
    if measure is None:
        raise QuestionError(_("Unknown measure “%(measure)s”.") % {"measure": str(question.measure)[:64]})
    if question.of:
        if measure.of_vocabulary is None:
            raise QuestionError(_("This measure takes no types (of=)."))
        _check_values(
            Dimension("of", DIMENSIONS["event_type"].label, KIND_VOCABULARY, measure.of_vocabulary), question.of
        )
    if len(question.by) > MAX_BREAKDOWNS:
        raise QuestionError(_("A table is broken down by at most two dimensions."))
    if len(set(question.by)) != len(question.by):
        raise QuestionError(_("A table cannot be broken down twice by the same dimension."))
    for name in (*question.by, *(name for name, _values in question.filters)):
        if name not in measure.dimensions:
            raise QuestionError(
                _("“%(dimension)s” is not a dimension of this measure.") % {"dimension": str(name)[:64]}
            )
    for name, values in question.filters:
        _check_values(DIMENSIONS[name], values)
    _check_period(question.period, measure.monthly)


def _split(raw: Any) -> list[str]:
    if isinstance(raw, (list, tuple)):
        raw = ",".join(str(item) for item in raw)
    if not isinstance(raw, str):
        raise QuestionError(_("Each value must be text."))
    return [part.strip() for part in raw.split(",") if part.strip()]


def _month(raw: str, *, end: bool) -> tuple[int, int]:
    match = _MONTH.fullmatch(raw.strip())
    if not match:
        raise _period_error()
    month = int(match[2]) if match[2] else (12 if end else 1)
    return int(match[1]), month


def _canonical(dimension: Dimension, value: str) -> str:
    if value.lower() == UNKNOWN:
        return UNKNOWN
    if dimension.kind == KIND_COUNTRY:
        return value.upper()
    if dimension.kind == KIND_TIME:
        return value.upper()
    return value


def question_from_params(mapping: Mapping[str, Any]) -> Question:
    """A validated question from key=value strings (a QueryDict or a directive's arguments)."""
    getlist = getattr(mapping, "getlist", None)
    values: dict[str, list[str]] = {}
    for key in mapping:
        if not isinstance(key, str):
            raise QuestionError(_("Each parameter name must be text."))
        if key not in PARAMETERS and key not in DIMENSIONS:
            raise QuestionError(_("Unknown parameter “%(key)s”.") % {"key": key[:64]})
        values[key] = _split(getlist(key) if getlist else mapping[key])
    measure = values.pop("measure", [])
    if len(measure) != 1:
        raise QuestionError(_("Name one measure (measure=event, decision, appeal, detention or entry_ban)."))
    of = values.pop("of", [])
    by = values.pop("by", [])
    start, end = values.pop("from", []), values.pop("to", [])
    if len(start) > 1 or len(end) > 1:
        raise _period_error()
    period = Period(start=_month(start[0], end=False) if start else None, end=_month(end[0], end=True) if end else None)
    filters: dict[str, list[str]] = {}
    for name, given in values.items():
        if not given:
            raise QuestionError(
                _("Give between 1 and %(n)d values for “%(dimension)s”.") % {"n": MAX_VALUES, "dimension": name}
            )
        filters[name] = [_canonical(DIMENSIONS[name], value) for value in given]
    question = Question.build(measure[0], of=of, filters=filters, period=period, by=by)
    validate(question)
    return question


def describe(question: Question) -> str:
    """The question in words, in the active language, for footnotes and captions."""
    measure = MEASURES.get(question.measure)
    text = str(measure.label) if measure else question.measure
    text = text[:1].upper() + text[1:]
    if question.of and measure and measure.of_vocabulary:
        kind = Dimension("of", measure.label, KIND_VOCABULARY, measure.of_vocabulary)
        text += " (" + ", ".join(kind.value_label(code) for code in question.of) + ")"
    parts = [text]
    for name, values in question.filters:
        dimension = DIMENSIONS[name]
        parts.append(f"{dimension.label}: " + ", ".join(dimension.value_label(value) for value in values))
    start, end = question.period.start, question.period.end
    if start and end:
        parts.append(_("from %(start)s to %(end)s") % {"start": _period_end(start), "end": _period_end(end)})
    elif start:
        parts.append(_("from %(start)s") % {"start": _period_end(start)})
    elif end:
        parts.append(_("until %(end)s") % {"end": _period_end(end)})
    labels = [str(DIMENSIONS[name].label) for name in question.by]
    if len(labels) == 1:
        parts.append(_("by %(dimension)s") % {"dimension": labels[0]})
    elif len(labels) == 2:
        parts.append(_("by %(first)s and %(second)s") % {"first": labels[0], "second": labels[1]})
    return "; ".join(parts)


def _period_end(end: tuple[int, int]) -> str:
    return f"{end[0]:04d}-{end[1]:02d}"
