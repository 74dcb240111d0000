"""The disclosure ledger: populations suppressed once (they stay suppressed) and populations released
(shown as a number or as suppressed), against which a new query is checked so that no two outputs
differ by fewer than k people.

The check compares the new query's population A with every earlier released population B of the
same measure whose published count lies within k of |A| (only those can differ by fewer than k
people, since |A Δ B| >= ||A| - |B||). The symmetric differences are counted in the database, a
batch of earlier populations per query, with conditional counts over Person.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from asylon.people.models import Person
from asylon.reports.models import ReleasedPopulation, SuppressedPopulation
from asylon.reports.statistics.aggregates import QuestionError, population
from asylon.reports.statistics.disclosure import populations
from asylon.reports.statistics.questions import Period, Question
from asylon.reports.statistics.tables import ProtectedTable

# Earlier populations compared in one query: each adds two conditional counts with two subqueries.
BATCH = 20


def question_from_json(data: dict[str, Any]) -> Question:
    """The Question a ledger row's canonical JSON describes."""
    start, end = data["period"]
    return Question.build(
        data["measure"],
        of=data["of"],
        filters=data["filters"],
        period=Period(tuple(start) if start else None, tuple(end) if end else None),  # type: ignore[arg-type]
        by=data["by"],
    )


def suppressed_keys(*, organisation: Any) -> set[str]:
    """The population keys the organisation's earlier outputs suppressed."""
    return set(SuppressedPopulation.objects.filter(organisation=organisation).values_list("key", flat=True))


def near_releases(
    *,
    organisation: Any,
    question: Question,
    count: int,
    threshold: int,
    published: bool = True,
    own: dict[str, bool] | None = None,
) -> list[tuple[str, int]]:
    """Earlier released populations of the same measure that differ from the question's population
    by 1 to k-1 people: (key, number of people in the difference), for the refusal and the tests.

    When the question's own total is not published, only populations once published count: two
    suppressed counts side by side tell nothing. `own` maps the populations of the new table itself
    to whether it publishes them: the table's audit already covers those (a table asked again is
    not refused by its own cells), unless one was published before and is hidden now."""
    whole = question.population()
    own = own or {}
    releases = ReleasedPopulation.objects.filter(
        organisation=organisation, measure=whole.measure, count__gt=count - threshold, count__lt=count + threshold
    )
    if not published:
        releases = releases.filter(published=True)
    candidates = [
        (key, data)
        for key, data, was_published in releases.exclude(key=whole.key)
        .order_by("key")
        .values_list("key", "population", "published")
        if key not in own or (was_published and not own[key])
    ]
    people = population(organisation=organisation, question=whole).values("pk")
    near = []
    for start in range(0, len(candidates), BATCH):
        batch = []
        for key, data in candidates[start : start + BATCH]:
            try:
                batch.append((key, population(organisation=organisation, question=question_from_json(data))))
            except QuestionError:
                continue  # a vocabulary term deleted since: that population cannot be asked again
        if not batch:
            continue
        counts = Person.objects.filter(organisation=organisation).aggregate(
            **{
                f"d{number}": Count("pk", filter=Q(pk__in=people) & ~Q(pk__in=earlier.values("pk")))
                + Count("pk", filter=Q(pk__in=earlier.values("pk")) & ~Q(pk__in=people))
                for number, (_key, earlier) in enumerate(batch)
            }
        )
        near += [
            (key, counts[f"d{number}"])
            for number, (key, _earlier) in enumerate(batch)
            if 0 < counts[f"d{number}"] < threshold
        ]
    return near


def ledger_record(*, organisation: Any, table: ProtectedTable, counts: dict[str, int]) -> None:
    """Remember the table's suppressed populations, and every non-zero population it showed, as a
    number or as suppressed (with its true count from `counts` by population key): a suppressed count
    still tells that 1 or more people are there, which a near population could narrow down."""
    suppressed, released = set(), {}
    for question, value in populations(table):
        if value.suppressed:
            suppressed.add(question.key)
        if counts.get(question.key):
            released[question.key] = question
    SuppressedPopulation.objects.bulk_create(
        [SuppressedPopulation(organisation=organisation, key=key) for key in sorted(suppressed)],
        ignore_conflicts=True,
    )
    now = timezone.now()
    for shown in (True, False):
        # Once published, a population stays marked published.
        ReleasedPopulation.objects.bulk_create(
            [
                ReleasedPopulation(
                    organisation=organisation,
                    key=key,
                    measure=question.measure,
                    population=question.as_json(),
                    count=counts[key],
                    published=shown,
                    updated_at=now,
                )
                for key, question in sorted(released.items())
                if (key in suppressed) is not shown
            ],
            update_conflicts=True,
            unique_fields=["organisation", "key"],
            update_fields=["count", "updated_at", "published"] if shown else ["count", "updated_at"],
        )
