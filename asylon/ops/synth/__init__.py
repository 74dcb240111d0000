"""Synthetic, clearly fictional casework data for demonstrations, tests and benchmarks.

`synthesise` draws life stories (docs/synthetic-data.md) from one seeded random generator and
writes them in batches through the same encryption, blind-index, audit and deadline code as the
services. The same seed gives the same clear data; identifiers also depend on the organisation,
so one seed can be loaded into several organisations of one database.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from asylon.cases.models import Case
from asylon.common.collector import batch_collected, collector_paused
from asylon.common.crypto.keyring import keyring
from asylon.ops.synth.deadlines import DeadlinePlanner
from asylon.ops.synth.pipeline import PreparationFailed, can_prepare_in_background, prepared_rows
from asylon.ops.synth.rows import RowBuilder, Rows, case_reference
from asylon.ops.synth.seeding import generator
from asylon.ops.synth.stories import story
from asylon.ops.synth.terms import MissingTerm, TermTable
from asylon.ops.synth.writer import rows_write, sqlite_tuned_for_bulk
from asylon.vocab import codes

BATCH_PERSONS = 1000

Progress = Callable[[int, int], None]


class SeedAlreadyUsed(ValueError):
    """The organisation already holds the cases this seed would create."""


@dataclass
class SynthSummary:
    """What a run wrote: rows per model (by model label) and how long it took."""

    persons: int
    seed: int
    counts: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        """Rows written in all tables, audit entries included."""
        return sum(self.counts.values())


def synthesise(
    *,
    organisation: Any,
    persons: int,
    seed: int,
    actor: Any = None,
    progress: Progress | None = None,
    batch_persons: int = BATCH_PERSONS,
) -> SynthSummary:
    """Write `persons` synthetic persons, each with a case and its history, into an organisation.

    Deterministic for a seed. One transaction per batch of `batch_persons`; `progress(done, total)`
    is called after each. Raises SeedAlreadyUsed if this seed was already synthesised here.
    """
    started = time.perf_counter()
    if persons > 0 and Case.objects.filter(organisation=organisation, reference=case_reference(seed, 0)).exists():
        raise SeedAlreadyUsed(f"Seed {seed} was already synthesised into organisation {organisation.slug}.")
    terms = TermTable(organisation)
    planner = DeadlinePlanner(organisation=organisation, jurisdiction=organisation.country)
    planner.prefetch(decision_types=terms.all(codes.DECISION_TYPE), decision_makers=terms.all(codes.DECISION_MAKER))
    builder = RowBuilder(
        organisation=organisation,
        actor_id=getattr(actor, "pk", None),
        seed=seed,
        terms=terms,
        planner=planner,
        ids=generator(f"asylon-synth-ids:{seed}:{organisation.pk}"),
    )
    keyring()  # loaded once, before a preparing process is forked
    summary = SynthSummary(persons=persons, seed=seed)
    in_background = persons > batch_persons and can_prepare_in_background()
    done = 0
    with collector_paused(), sqlite_tuned_for_bulk():
        for rows in prepared_rows(_batches(builder, persons, seed, batch_persons), in_background=in_background):
            summary.counts.update(rows_write(rows, organisation=organisation, actor=actor))
            batch_collected()
            done = min(done + batch_persons, persons)
            if progress is not None:
                progress(done, persons)
    summary.seconds = time.perf_counter() - started
    return summary


def _batches(builder: RowBuilder, persons: int, seed: int, batch_persons: int) -> Iterator[Rows]:
    """The rows of each batch, from one random generator for the whole run."""
    rng = generator(seed)
    for first in range(0, persons, batch_persons):
        yield builder.build([story(rng, index) for index in range(first, min(first + batch_persons, persons))])


__all__ = ["MissingTerm", "PreparationFailed", "Progress", "SeedAlreadyUsed", "SynthSummary", "synthesise"]
