"""What each statistics measure counts and which dimensions break it down (names, labels, display order).

Every measure counts DISTINCT PEOPLE: "event" the people with an event of the asked types, "decision"
the people with a decision of the asked types, "appeal" the people with an appeal or complaint
(proceeding), "detention" the people detained (liberty status detained_*), "entry_ban" the people
banned from entry (residence status banned_from_entry). Where the facts live in the database is in
sources.py; this module is the vocabulary of the statistics pages and report directives.

Appeal result, from the proceeding's outcome code (APPEAL_RESULTS): won = annulled_remitted, grant,
interim_measures_granted and the protection outcomes; lost = upheld, refuse, revoke, not_extend,
inadmissible, manifestly_unfounded, dublin_transfer, interim_measures_refused; withdrawn =
discontinued_or_withdrawn; pending = no outcome yet; any other code (an organisation's own) = unknown.
The success rate is won / (won + lost).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from asylon.cases.models import ProceedingTier
from asylon.people.models import MilitaryServiceType, Sex
from asylon.vocab import codes as vocab

UNKNOWN = "unknown"

# Length bands (days, inclusive upper bounds) for detention and entry bans; None: no upper bound.
LENGTH_BANDS: tuple[tuple[str, int | None, Promise], ...] = (
    ("d0_7", 7, _("up to 7 days")),
    ("d8_30", 30, _("8 to 30 days")),
    ("d31_90", 90, _("31 to 90 days")),
    ("d91_180", 180, _("91 to 180 days")),
    ("d181_365", 365, _("181 days to 1 year")),
    ("y1_2", 730, _("1 to 2 years")),
    ("y2_5", 1826, _("2 to 5 years")),
    ("y5_plus", None, _("over 5 years")),
)

WON, LOST, WITHDRAWN, PENDING = "won", "lost", "withdrawn", "pending"
APPEAL_RESULTS: dict[str, tuple[str, ...]] = {
    WON: (
        "annulled_remitted",
        "grant",
        "interim_measures_granted",
        "refugee_status",
        "subsidiary_protection",
        "temporary_protection",
        "humanitarian_permit",
    ),
    LOST: (
        "upheld",
        "refuse",
        "revoke",
        "not_extend",
        "inadmissible",
        "manifestly_unfounded",
        "dublin_transfer",
        "interim_measures_refused",
    ),
    WITHDRAWN: ("discontinued_or_withdrawn",),
}
APPEAL_RESULT_LABELS: dict[str, Promise] = {
    WON: _("won"),
    LOST: _("lost"),
    WITHDRAWN: _("withdrawn"),
    PENDING: _("pending"),
}

# Country names for the countries the organisations work with; any other code is shown as it is.
COUNTRY_NAMES: dict[str, Promise] = {
    "BY": _("Belarus"),
    "RU": _("Russia"),
    "UA": _("Ukraine"),
    "LT": _("Lithuania"),
    "LV": _("Latvia"),
    "PL": _("Poland"),
    "EE": _("Estonia"),
    "GE": _("Georgia"),
    "DE": _("Germany"),
    "KZ": _("Kazakhstan"),
    "AM": _("Armenia"),
}

KIND_VOCABULARY = "vocabulary"
KIND_COUNTRY = "country"
KIND_CHOICE = "choice"
KIND_TIME = "time"


@dataclasses.dataclass(frozen=True)
class Dimension:
    """A breakdown or filter: label, how a value code reads, and the display order of its values.
    `values` lists the fixed values in display order (empty for open sets: countries, years, terms,
    whose order comes from `ordered`)."""

    name: str
    label: Promise
    kind: str
    vocabulary: str | None = None
    choices: tuple[tuple[str, Promise], ...] = ()

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(code for code, _label in self.choices)

    def value_label(self, code: str) -> str:
        """The value in words, in the active language (a term's label, a country's name, a band)."""
        if code == UNKNOWN:
            return str(_("unknown"))
        if self.kind == KIND_VOCABULARY:
            return term_labels(self.vocabulary or "").get(code, code)
        if self.kind == KIND_COUNTRY:
            return str(COUNTRY_NAMES.get(code, code))
        if self.kind == KIND_TIME:
            return code.replace("-H", " H").replace("-Q", " Q")
        return str(dict(self.choices).get(code, code))

    def ordered(self, codes: Iterable[str], counts: Mapping[str, int] | None = None) -> tuple[str, ...]:
        """The codes in display order: time ascending, fixed values and terms in their list order,
        countries by count descending; "unknown" last."""
        present = [code for code in dict.fromkeys(codes) if code != UNKNOWN]
        counts = counts or {}
        if self.kind == KIND_TIME:
            present.sort()
        elif self.kind == KIND_CHOICE or self.kind == KIND_VOCABULARY:
            position = {code: index for index, code in enumerate(self.values or term_positions(self.vocabulary or ""))}
            present.sort(key=lambda code: (position.get(code, len(position)), code))
        else:
            present.sort(key=lambda code: (-counts.get(code, 0), code))
        if UNKNOWN in codes:
            present.append(UNKNOWN)
        return tuple(present)


def _vocabulary_cached(vocabulary: str, what: str, build: Callable[[], Any]) -> Any:
    """A vocabulary's codes or labels, cached until a term or vocabulary changes (vocab.cache)."""
    from asylon.vocab.cache import cached_per_generation

    return cached_per_generation(namespace="statistics:terms", vocabulary=vocabulary, scope=what, build=build)


def term_positions(vocabulary: str) -> list[str]:
    """The instance terms' codes of a vocabulary in list order (the display order of its values)."""
    from asylon.vocab.models import Term

    return _vocabulary_cached(
        vocabulary,
        "order",
        lambda: list(
            Term.objects.filter(vocabulary__code=vocabulary, organisation__isnull=True)
            .order_by("position", "code")
            .values_list("code", flat=True)
        ),
    )


def term_codes(vocabulary: str) -> frozenset[str]:
    """Every code of a vocabulary (instance terms and organisations' own)."""
    from asylon.vocab.models import Term

    return _vocabulary_cached(
        vocabulary,
        "codes",
        lambda: frozenset(Term.objects.filter(vocabulary__code=vocabulary).values_list("code", flat=True)),
    )


def term_labels(vocabulary: str) -> dict[str, str]:
    """Code -> label in the active language of the instance terms of a vocabulary."""
    from asylon.vocab.models import Term

    return _vocabulary_cached(
        vocabulary,
        "labels",
        lambda: {
            term.code: term.label()
            for term in Term.objects.filter(vocabulary__code=vocabulary, organisation__isnull=True)
        },
    )


def _choices(choices: Iterable[tuple[str, Promise]]) -> tuple[tuple[str, Promise], ...]:
    return tuple(choices)


_TIME = (
    Dimension("year", _("year"), KIND_TIME),
    Dimension("half", _("half-year"), KIND_TIME),
    Dimension("quarter", _("quarter"), KIND_TIME),
)
_PERSON = (
    Dimension("citizenship", _("citizenship"), KIND_COUNTRY),
    Dimension("country_of_origin", _("country of origin"), KIND_COUNTRY),
    Dimension("sex", _("sex"), KIND_CHOICE, choices=_choices(Sex.choices)),
    Dimension(
        "military_service_category",
        _("military service"),
        KIND_CHOICE,
        choices=_choices(MilitaryServiceType.choices),
    ),
)
_FACT = (
    Dimension("event_country", _("country of the event"), KIND_COUNTRY),
    Dimension("event_type", _("event type"), KIND_VOCABULARY, vocab.EVENT_TYPE),
    Dimension("decision_type", _("decision type"), KIND_VOCABULARY, vocab.DECISION_TYPE),
    Dimension("decision_maker", _("decision maker"), KIND_VOCABULARY, vocab.DECISION_MAKER),
    Dimension("outcome", _("outcome"), KIND_VOCABULARY, vocab.DECISION_OUTCOME),
    Dimension("grounds", _("grounds cited"), KIND_VOCABULARY, vocab.GROUNDS),
    Dimension("tier", _("tier"), KIND_CHOICE, choices=_choices(ProceedingTier.choices)),
    Dimension("court", _("court or body"), KIND_VOCABULARY, vocab.DECISION_MAKER),
    Dimension("appeal_result", _("appeal result"), KIND_CHOICE, choices=tuple(APPEAL_RESULT_LABELS.items())),
    Dimension("length", _("length"), KIND_CHOICE, choices=tuple((code, label) for code, _u, label in LENGTH_BANDS)),
)
DIMENSIONS: dict[str, Dimension] = {dimension.name: dimension for dimension in (*_TIME, *_PERSON, *_FACT)}

_PERSON_NAMES = tuple(dimension.name for dimension in _PERSON)
_DECISION_NAMES = ("decision_type", "decision_maker", "outcome", "grounds")


@dataclasses.dataclass(frozen=True)
class Measure:
    """What is counted (always distinct people); `of_vocabulary` is the vocabulary of the `of` codes
    (None: the measure takes none); `monthly` whether periods may start or end mid-year."""

    name: str
    label: Promise
    dimensions: tuple[str, ...]
    of_vocabulary: str | None = None
    monthly: bool = True


MEASURES: dict[str, Measure] = {
    measure.name: measure
    for measure in (
        Measure(
            "event",
            _("people with an event"),
            ("year", "half", "quarter", *_PERSON_NAMES, "event_country", "event_type", *_DECISION_NAMES),
            of_vocabulary=vocab.EVENT_TYPE,
        ),
        Measure(
            "decision",
            _("people with a decision"),
            ("year", "half", "quarter", *_PERSON_NAMES, "event_country", "event_type", *_DECISION_NAMES),
            of_vocabulary=vocab.DECISION_TYPE,
        ),
        Measure(
            "appeal",
            _("people who appealed"),
            ("year", *_PERSON_NAMES, "tier", "court", "appeal_result", "outcome", *_DECISION_NAMES[:2], "grounds"),
            monthly=False,
        ),
        Measure("detention", _("people detained"), ("year", "half", "quarter", *_PERSON_NAMES, "length")),
        Measure("entry_ban", _("people banned from entry"), ("year", "half", "quarter", *_PERSON_NAMES, "length")),
    )
}
