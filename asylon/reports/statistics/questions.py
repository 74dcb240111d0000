"""A statistics question: which people to count, narrowed by filters and a period, broken down by
up to two dimensions. Questions are values: hashable, comparable, and with a canonical key that
the disclosure ledger uses to recognise the same population in any output."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable, Mapping

MAX_BREAKDOWNS = 2


@dataclasses.dataclass(frozen=True, order=True)
class Period:
    """Inclusive months: (2023, 1) to (2023, 6) is the first half of 2023. Either end may be open."""

    start: tuple[int, int] | None = None
    end: tuple[int, int] | None = None

    def as_json(self) -> list[list[int] | None]:
        return [list(self.start) if self.start else None, list(self.end) if self.end else None]


@dataclasses.dataclass(frozen=True)
class Question:
    """measure: a key of measures.MEASURES; of: the vocabulary codes it counts (event types, decision
    types; empty means all); filters: dimension -> accepted values; by: breakdown dimensions."""

    measure: str
    of: tuple[str, ...] = ()
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()
    period: Period = Period()
    by: tuple[str, ...] = ()

    @classmethod
    def build(
        cls,
        measure: str,
        *,
        of: Iterable[str] = (),
        filters: Mapping[str, Iterable[str]] | None = None,
        period: Period | None = None,
        by: Iterable[str] = (),
    ) -> Question:
        """A question in canonical form: codes and filter values sorted, empty filters dropped."""
        canonical_filters = tuple(
            sorted((dimension, tuple(sorted(set(values)))) for dimension, values in (filters or {}).items() if values)
        )
        return cls(
            measure=measure,
            of=tuple(sorted(set(of))),
            filters=canonical_filters,
            period=period or Period(),
            by=tuple(by),
        )

    @property
    def filter_map(self) -> dict[str, tuple[str, ...]]:
        return dict(self.filters)

    def cell(self, coordinates: Mapping[str, str]) -> Question:
        """The population of one cell (or margin): this question with the coordinates as filters and
        no breakdown. Cells of different tables with the same population get the same key."""
        filters = {**self.filter_map, **{dimension: (value,) for dimension, value in coordinates.items()}}
        return Question.build(self.measure, of=self.of, filters=filters, period=self.period)

    def population(self) -> Question:
        """The whole population the table divides (the grand total)."""
        return self.cell({})

    def as_json(self) -> dict[str, object]:
        return {
            "measure": self.measure,
            "of": list(self.of),
            "filters": {dimension: list(values) for dimension, values in self.filters},
            "period": self.period.as_json(),
            "by": list(self.by),
        }

    @property
    def key(self) -> str:
        """A stable digest of the canonical form (the ledger's key; it names no person)."""
        encoded = json.dumps(self.as_json(), sort_keys=True, separators=(",", ":")).encode()
        return hashlib.sha256(encoded).hexdigest()
