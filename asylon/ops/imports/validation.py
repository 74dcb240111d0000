"""A mapped row's cells turned into stored values, each checked with the model field's own validators.

Equivalent to what the services check (field validators and lengths, countries, plausible years,
dates not in the future, vocabulary terms), per column rather than per model through `full_clean`,
which would cost more than the rest of the import together. Every problem names its column.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from asylon.cases.models import Case, Event
from asylon.common.models import DatePrecision
from asylon.common.validators import not_in_future, plausible_year
from asylon.ops.imports.dates import PartialDate, date_parse
from asylon.ops.imports.targets import NAME_TARGETS, TARGETS
from asylon.ops.imports.vocabulary import Matcher
from asylon.people.models import MilitaryServiceType, Person, Sex
from asylon.vocab import codes

MAX_EXTERNAL_ID = 200
MAX_VARIANT = 200
EVENT_REQUIRED = ("event.type", "event.date")
MEMO_SIZE = 100_000  # distinct cell values remembered per run (validation and vocabulary matches)


@dataclass
class ParsedRow:
    """One data row: its sheet row number, its cells as read, and what it would store."""

    number: int
    cells: list[Any]
    person: dict[str, Any] = field(default_factory=dict)
    external_id: str = ""
    case: dict[str, Any] = field(default_factory=dict)
    event: dict[str, Any] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)


def _messages(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number typed in a text column (a record number) reads back as typed
    return " ".join(str(value).split()) if value is not None else ""


class RowParser:
    """Parses rows under one mapping for one organisation (vocabulary indexes built once)."""

    def __init__(self, *, headers: list[str], mapping: dict[str, str], organisation: Any, day_first: bool) -> None:
        self.day_first = day_first
        self.matcher = Matcher(organisation)
        self.columns = [(index, header, mapping[header]) for index, header in enumerate(headers) if mapping.get(header)]
        self.header_of = {target: header for _index, header, target in self.columns}
        self._current_header = ""
        self._validated: dict[tuple[Any, str, Any], str] = {}
        self._matched: dict[tuple[str, str], tuple[Any, str]] = {}
        self._today = datetime.date.today()
        self._setters: dict[str, Callable[[ParsedRow, Any], None]] = {
            "person.external_id": self._external_id,
            "person.family_name": self._person_text("family_name"),
            "person.given_name": self._person_text("given_name"),
            "person.patronymic": self._person_text("patronymic"),
            "person.name_variants": self._name_variants,
            "person.birth_date": self._birth_date,
            "person.birth_year": self._year(Person, "birth_year"),
            "person.sex": self._choice(Sex, "sex"),
            "person.citizenship": self._country(Person, "citizenship"),
            "person.country_of_origin": self._country(Person, "country_of_origin"),
            "person.region": self._person_text("region"),
            "person.entry_year": self._year(Person, "entry_year"),
            "person.military_service_category": self._choice(MilitaryServiceType, "military_service_category"),
            "person.claim_basis": self._term(codes.CLAIM_BASIS, "person", "claim_basis_id"),
            "person.identifier": self._identifier,
            "person.biography": self._person_text("biography"),
            "case.reference": self._case_reference,
            "case.opened_on": self._case_opened_on,
            "event.type": self._term(codes.EVENT_TYPE, "event", "event_type_id"),
            "event.date": self._event_date,
            "event.country": self._country(Event, "country", group="event"),
            "event.region": self._text_into(Event, "region", "event"),
            "event.perpetrator": self._term(codes.DECISION_MAKER, "event", "perpetrator_id"),
            "event.description": self._text_into(Event, "description", "event"),
        }
        unknown = [target for _index, _header, target in self.columns if target not in self._setters]
        if unknown:
            raise ValueError(f"unknown import targets: {unknown}")

    def parse(self, number: int, cells: list[Any]) -> ParsedRow:
        """The row's values and problems (row numbers as the user sees them: the header is row 1)."""
        row = ParsedRow(number=number, cells=cells)
        filled: set[str] = set()
        for index, header, target in self.columns:
            value = cells[index]
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            filled.add(target)
            self._current_header = header
            self._setters[target](row, value)
        if not filled & set(NAME_TARGETS):
            row.problems.append((self._header_for(NAME_TARGETS[0]), _("A family name or a given name is required.")))
        if any(target.startswith("event.") for target in filled):
            for target in EVENT_REQUIRED:
                if target not in filled:
                    row.problems.append(
                        (self._header_for(target), _("An event needs its type and its date; this one is missing."))
                    )
        return row

    def _header_for(self, target: str) -> str:
        return self.header_of.get(target) or str(TARGETS[target].label)

    def _problem(self, row: ParsedRow, reason: str) -> None:
        row.problems.append((self._current_header, reason))

    def _checked(self, row: ParsedRow, model: type[models.Model], name: str, value: Any) -> bool:
        # Cells repeat (countries, regions, references): each distinct value is validated once.
        memo_key = (model, name, value)
        problem = self._validated.get(memo_key)
        if problem is None:
            try:
                model._meta.get_field(name).run_validators(value)  # type: ignore[union-attr]
                problem = ""
            except ValidationError as error:
                problem = _messages(error)
            if len(self._validated) < MEMO_SIZE:
                self._validated[memo_key] = problem
        if problem:
            self._problem(row, problem)
            return False
        return True

    def _text_into(self, model: type[models.Model], name: str, group: str) -> Callable[[ParsedRow, Any], None]:
        def setter(row: ParsedRow, value: Any) -> None:
            text = _text(value) if name != "description" and name != "biography" else str(value).strip()
            if self._checked(row, model, name, text):
                getattr(row, group)[name] = text

        return setter

    def _person_text(self, name: str) -> Callable[[ParsedRow, Any], None]:
        return self._text_into(Person, name, "person")

    def _external_id(self, row: ParsedRow, value: Any) -> None:
        text = _text(value)
        if len(text) > MAX_EXTERNAL_ID:
            self._problem(row, _("At most %(count)s characters.") % {"count": MAX_EXTERNAL_ID})
        else:
            row.external_id = text

    def _name_variants(self, row: ParsedRow, value: Any) -> None:
        variants = [_text(part) for part in str(value).split(";") if part.strip()]
        if any(len(variant) > MAX_VARIANT for variant in variants):
            self._problem(row, _("Each spelling may have at most %(count)s characters.") % {"count": MAX_VARIANT})
        elif variants:
            row.person["name_variants"] = variants

    def _identifier(self, row: ParsedRow, value: Any) -> None:
        number = _text(value)
        if len(number) > MAX_VARIANT:
            self._problem(row, _("At most %(count)s characters.") % {"count": MAX_VARIANT})
        else:
            row.person["identifiers"] = [{"type": "", "number": number}]

    def _date(self, row: ParsedRow, value: Any) -> PartialDate | None:
        parsed = date_parse(value, day_first=self.day_first)
        if parsed is None:
            self._problem(
                row, _("“%(text)s” is not a date (for example 17.08.2023, 08/2023 or 2023).") % {"text": value}
            )
            return None
        if parsed.first_day <= self._today and parsed.year >= 1900:
            return parsed  # what the validators below accept, without their per-call date.today()
        try:
            not_in_future(parsed.first_day)
            plausible_year(parsed.year)
        except ValidationError as error:
            self._problem(row, _messages(error))
            return None
        return parsed

    def _birth_date(self, row: ParsedRow, value: Any) -> None:
        parsed = self._date(row, value)
        if parsed is None:
            return
        if not self._same_birth_year(row, parsed.year):
            return
        # The person keeps an exact date (encrypted) only when the day is known; otherwise the year alone.
        if parsed.precision == DatePrecision.DAY:
            row.person["birth_date"] = parsed.value
        row.person["birth_year"] = parsed.year

    def _same_birth_year(self, row: ParsedRow, year: int) -> bool:
        """A birth date and a birth year column on one row must agree (whichever column comes first)."""
        known = row.person.get("birth_year")
        if known is not None and known != year:
            self._problem(row, _("The year of birth and the date of birth disagree."))
            return False
        return True

    def _event_date(self, row: ParsedRow, value: Any) -> None:
        parsed = self._date(row, value)
        if parsed is None:
            return
        # As `event_dates` stores them: a day keeps the exact date, month and year precision keep what they know.
        row.event.update(
            date_precision=parsed.precision, occurred_on=parsed.value, year=parsed.year, month=parsed.month
        )

    def _case_opened_on(self, row: ParsedRow, value: Any) -> None:
        parsed = self._date(row, value)
        if parsed is None:
            return
        if parsed.value is None:
            self._problem(row, _("The case's opening date needs a day, month and year."))
            return
        row.case["opened_on"] = parsed.value

    def _case_reference(self, row: ParsedRow, value: Any) -> None:
        text = _text(value)
        if self._checked(row, Case, "reference", text):
            row.case["reference"] = text

    def _year(self, model: type[models.Model], name: str) -> Callable[[ParsedRow, Any], None]:
        def setter(row: ParsedRow, value: Any) -> None:
            parsed = date_parse(value)
            if parsed is None or parsed.precision != DatePrecision.YEAR:
                self._problem(row, _("“%(text)s” is not a year.") % {"text": value})
            elif self._checked(row, model, name, parsed.year) and (
                name != "birth_year" or self._same_birth_year(row, parsed.year)
            ):
                row.person[name] = parsed.year

        return setter

    def _match(self, kind: str, text: str, match: Callable[[str], tuple[Any, str]]) -> tuple[Any, str]:
        memo_key = (kind, text)
        found = self._matched.get(memo_key)
        if found is None:
            found = match(text)
            if len(self._matched) < MEMO_SIZE:
                self._matched[memo_key] = found
        return found

    def _choice(self, choices: type[models.Choices], name: str) -> Callable[[ParsedRow, Any], None]:
        def setter(row: ParsedRow, value: Any) -> None:
            found, problem = self._match(name, _text(value), lambda text: self.matcher.choice(choices, text))
            if problem:
                self._problem(row, problem)
            else:
                row.person[name] = found

        return setter

    def _country(self, model: type[models.Model], name: str, group: str = "person") -> Callable[[ParsedRow, Any], None]:
        def setter(row: ParsedRow, value: Any) -> None:
            code, problem = self._match("country", _text(value), self.matcher.country)
            if problem:
                self._problem(row, problem)
            elif self._checked(row, model, name, code):
                getattr(row, group)[name] = code

        return setter

    def _term(self, vocabulary: str, group: str, attribute: str) -> Callable[[ParsedRow, Any], None]:
        def setter(row: ParsedRow, value: Any) -> None:
            term_id, problem = self._match(
                vocabulary, _text(value), lambda text: self.matcher.term_id(vocabulary, text)
            )
            if problem:
                self._problem(row, problem)
            else:
                getattr(row, group)[attribute] = term_id

        return setter
