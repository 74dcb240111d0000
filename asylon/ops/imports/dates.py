"""Dates as spreadsheets hold them, with their precision.

17.08.2023, 2023-08-17, 17/08/2023 (or 08/17/2023 month-first), 08/2023, 08.2023, 2023-08,
"Aug 2023", "August 2023", "17 августа 2023", "жнівень 2023", "2023 m. rugpjūčio 17 d.", 2023;
and from XLSX: date cells and Excel serial numbers. A value that is not a date is None.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass

from asylon.common.models import DatePrecision
from asylon.vocab.selectors import normalised_label

EXCEL_EPOCH = datetime.date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel's 1900 leap-year bug included)
SERIAL_RANGE = (1, 2958465)  # 1900-01-01 .. 9999-12-31
YEAR_RANGE = (1000, 9999)

# Month names and their stems: English, Russian, Belarusian, Ukrainian, Lithuanian, in nominative and
# genitive (and Lithuanian's "rugpjūčio" form); matched on the normalised word.
MONTH_WORDS: dict[int, tuple[str, ...]] = {
    1: (
        "january",
        "jan",
        "январь",
        "января",
        "янв",
        "студзень",
        "студзеня",
        "студз",
        "січень",
        "січня",
        "січ",
        "sausis",
        "sausio",
        "saus",
    ),
    2: (
        "february",
        "feb",
        "февраль",
        "февраля",
        "фев",
        "февр",
        "люты",
        "лютага",
        "лют",
        "лютий",
        "лютого",
        "vasaris",
        "vasario",
        "vas",
    ),
    3: (
        "march",
        "mar",
        "март",
        "марта",
        "мар",
        "сакавік",
        "сакавіка",
        "сак",
        "березень",
        "березня",
        "бер",
        "kovas",
        "kovo",
        "kov",
    ),
    4: (
        "april",
        "apr",
        "апрель",
        "апреля",
        "апр",
        "красавік",
        "красавіка",
        "крас",
        "квітень",
        "квітня",
        "квіт",
        "balandis",
        "balandžio",
        "bal",
    ),
    5: ("may", "май", "мая", "травень", "траўня", "трав", "травня", "gegužė", "gegužės", "geg"),
    6: (
        "june",
        "jun",
        "июнь",
        "июня",
        "июн",
        "чэрвень",
        "чэрвеня",
        "чэрв",
        "червень",
        "червня",
        "черв",
        "birželis",
        "birželio",
        "birž",
    ),
    7: (
        "july",
        "jul",
        "июль",
        "июля",
        "июл",
        "ліпень",
        "ліпеня",
        "ліп",
        "липень",
        "липня",
        "лип",
        "liepa",
        "liepos",
        "liep",
    ),
    8: (
        "august",
        "aug",
        "август",
        "августа",
        "авг",
        "жнівень",
        "жніўня",
        "жнів",
        "серпень",
        "серпня",
        "серп",
        "rugpjūtis",
        "rugpjūčio",
        "rugp",
    ),
    9: (
        "september",
        "sep",
        "sept",
        "сентябрь",
        "сентября",
        "сен",
        "сент",
        "верасень",
        "верасня",
        "вер",
        "вересень",
        "вересня",
        "вер",
        "rugsėjis",
        "rugsėjo",
        "rugs",
    ),
    10: (
        "october",
        "oct",
        "октябрь",
        "октября",
        "окт",
        "кастрычнік",
        "кастрычніка",
        "каст",
        "жовтень",
        "жовтня",
        "жовт",
        "spalis",
        "spalio",
        "spal",
    ),
    11: (
        "november",
        "nov",
        "ноябрь",
        "ноября",
        "ноя",
        "нояб",
        "лістапад",
        "лістапада",
        "ліст",
        "листопад",
        "листопада",
        "лист",
        "lapkritis",
        "lapkričio",
        "lapkr",
    ),
    12: (
        "december",
        "dec",
        "декабрь",
        "декабря",
        "дек",
        "снежань",
        "снежня",
        "снеж",
        "грудень",
        "грудня",
        "груд",
        "gruodis",
        "gruodžio",
        "gruod",
    ),
}
_MONTH_OF_WORD = {normalised_label(word): month for month, words in MONTH_WORDS.items() for word in words}
# Words around dates that carry no meaning: "г.", "года", "m.", "d.", "р.", "року", "год".
_FILLER = frozenset({"г", "года", "год", "гады", "m", "metai", "metų", "d", "р", "року", "рік", "y", "year"})

_NUMERIC = re.compile(r"^(\d{1,4})[./\-](\d{1,4})(?:[./\-](\d{1,4}))?$")
_YEAR = re.compile(r"^\d{4}$")
_WORD_SPLIT = re.compile(r"[\s,.]+")


@dataclass(frozen=True)
class PartialDate:
    """A date as known: day precision keeps `value`; month and year precision keep what they know."""

    precision: str
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def value(self) -> datetime.date | None:
        """The exact date, only for day precision."""
        if self.precision != DatePrecision.DAY or self.month is None or self.day is None:
            return None
        return datetime.date(self.year, self.month, self.day)

    @property
    def first_day(self) -> datetime.date:
        """The earliest day it can mean (for "not in the future" checks)."""
        return datetime.date(self.year, self.month or 1, self.day or 1)


def _day(year: int, month: int, day: int) -> PartialDate | None:
    try:
        datetime.date(year, month, day)
    except ValueError:
        return None
    return PartialDate(DatePrecision.DAY, year, month, day)


def _month(year: int, month: int) -> PartialDate | None:
    return PartialDate(DatePrecision.MONTH, year, month) if 1 <= month <= 12 and _plausible(year) else None


def _plausible(year: int) -> bool:
    return YEAR_RANGE[0] <= year <= YEAR_RANGE[1]


def date_parse(value: object, *, day_first: bool = True) -> PartialDate | None:
    """The date a cell holds, with its precision, or None if it holds none (empty cells too)."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return PartialDate(DatePrecision.DAY, value.year, value.month, value.day)
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return _number(value)
    return _text_date(str(value or "").strip(), day_first)


@functools.lru_cache(maxsize=1 << 16)
def _text_date(text: str, day_first: bool) -> PartialDate | None:
    """Dates repeat a lot in a sheet: each distinct text is parsed once."""
    if not text:
        return None
    return _numeric(text, day_first) or _worded(text)


def _number(value: float) -> PartialDate | None:
    """An integer that looks like a year is a year; other numbers are Excel serial dates."""
    if value != int(value):
        value = int(value)  # a datetime serial: the fraction is the time of day
    number = int(value)
    if 1900 <= number <= 2100:
        return PartialDate(DatePrecision.YEAR, number)
    if SERIAL_RANGE[0] <= number <= SERIAL_RANGE[1] and number > 2100:
        day = EXCEL_EPOCH + datetime.timedelta(days=number)
        return PartialDate(DatePrecision.DAY, day.year, day.month, day.day)
    return None


def _numeric(text: str, day_first: bool) -> PartialDate | None:
    if _YEAR.match(text):
        year = int(text)
        return PartialDate(DatePrecision.YEAR, year) if _plausible(year) else None
    found = _NUMERIC.match(text)
    if not found:
        return None
    first, second, third = found.group(1), found.group(2), found.group(3)
    if third is None:
        if len(first) == 4 and len(second) <= 2:  # 2023-08
            return _month(int(first), int(second))
        if len(second) == 4 and len(first) <= 2:  # 08/2023, 08.2023
            return _month(int(second), int(first))
        return None
    if len(first) == 4:  # 2023-08-17, 2023/08/17
        return _day(int(first), int(second), int(third)) if len(second) <= 2 and len(third) <= 2 else None
    if len(second) > 2:
        return None
    if len(third) != 4:
        return None  # two-digit years are ambiguous across a century: refused
    if "/" in text and not day_first:
        return _day(int(third), int(first), int(second))
    return _day(int(third), int(second), int(first))


def _worded(text: str) -> PartialDate | None:
    """Dates with a month name: "17 августа 2023", "Aug 2023", "August 17, 2023", "2023 m. rugpjūčio 17 d."."""
    words = [word for word in _WORD_SPLIT.split(normalised_label(text)) if word]
    month: int | None = None
    numbers: list[str] = []
    for word in words:
        if word.isdigit():
            numbers.append(word)
        elif word in _MONTH_OF_WORD and month is None:
            month = _MONTH_OF_WORD[word]
        elif word not in _FILLER:
            return None
    if month is None:
        return None
    years = [number for number in numbers if len(number) == 4]
    days = [number for number in numbers if len(number) <= 2]
    if len(years) != 1 or len(days) > 1 or len(numbers) != len(years) + len(days):
        return None
    year = int(years[0])
    if not _plausible(year):
        return None
    return _day(year, month, int(days[0])) if days else _month(year, month)
