"""The disclosure ledger: populations suppressed once (they stay suppressed) and populations released
(shown as a number or as suppressed), against which a new query is checked so that no two outputs
differ by fewer than k people.

The check compares the new query's population A with every earlier released population B of the
same measure whose published count lies within k of |A| (only those can differ by fewer than k
people, since |A Δ B| >= ||A| - |B||). The symmetric differences are counted in the database, a
batch of earlier populations per statement (one snapshot), as |A| + |B| - 2 |A ∩ B|: each a count
of distinct people over the populations' fact rows, read from the statistics indexes (counting over
the whole person table cost a scan of it per population).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, IntegerField, QuerySet, Subquery, Value
from django.db.models.expressions import RawSQL
from django.utils import timezone

from asylon.accounts.models import Organisation
from asylon.reports.models import ReleasedPopulation, SuppressedPopulation
from asylon.reports.statistics.aggregates import PERSON, QuestionError, population_rows
from asylon.reports.statistics.disclosure import populations
from asylon.reports.statistics.questions import Period, Question
from asylon.reports.statistics.tables import ProtectedTable

# Earlier populations compared in one statement: each adds two counts over fact rows.
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


def published_keys(*, organisation: Any, among: Iterable[str]) -> set[str]:
    """Which of these population keys the organisation's earlier outputs showed as a number."""
    released = ReleasedPopulation.objects.filter(organisation=organisation, published=True, key__in=list(among))
    return set(released.values_list("key", flat=True))


def suppressed_keys(*, organisation: Any, among: Iterable[str]) -> set[str]:
    """Which of these population keys the organisation's earlier outputs suppressed."""
    suppressed = SuppressedPopulation.objects.filter(organisation=organisation, key__in=list(among))
    return set(suppressed.values_list("key", flat=True))


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
    not refused by its own cells), unless one was published before and is hidden now. A population
    released before with the same count is not compared again; with another count, it is."""
    whole = question.population()
    own = own or {}
    releases = ReleasedPopulation.objects.filter(
        organisation=organisation, measure=whole.measure, count__gt=count - threshold, count__lt=count + threshold
    ).order_by("key")
    earlier = []
    for key, data, was_published, earlier_count in releases.values_list("key", "population", "published", "count"):
        if key == whole.key:
            if earlier_count == count and (was_published or not published):
                # The same answer as before (a report previewed, then saved): beside whatever was
                # released since, it tells nothing that the earlier answer did not already tell.
                return []
        elif published or was_published:
            earlier.append((key, data, was_published))
    candidates = [
        (key, data) for key, data, was_published in earlier if key not in own or (was_published and not own[key])
    ]
    rows = population_rows(organisation=organisation, question=whole)
    near = []
    for start in range(0, len(candidates), BATCH):
        batch = []
        for key, data in candidates[start : start + BATCH]:
            try:
                batch.append((key, population_rows(organisation=organisation, question=question_from_json(data))))
            except QuestionError:
                continue  # a vocabulary term deleted since: that population cannot be asked again
        if not batch:
            continue
        counts = (
            Organisation.objects.filter(pk=organisation.pk)
            .annotate(
                whole=_people(rows),
                **{f"size{number}": _people(earlier) for number, (_key, earlier) in enumerate(batch)},
                **{f"both{number}": _common_people(rows, earlier) for number, (_key, earlier) in enumerate(batch)},
            )
            .values("whole", *(f"{kind}{number}" for kind in ("size", "both") for number in range(len(batch))))
            .get()
        )
        for number, (key, _earlier) in enumerate(batch):
            difference = counts["whole"] + counts[f"size{number}"] - 2 * counts[f"both{number}"]
            if 0 < difference < threshold:
                near.append((key, difference))
    return near


def _people(rows: QuerySet[Any]) -> Subquery:
    """The number of distinct people named by fact rows, as a scalar subquery (no GROUP BY: the
    constant it groups by is left out, so the count is over all rows and one row even for none)."""
    counted = rows.annotate(everyone=Value(1)).values("everyone").annotate(people=Count(PERSON, distinct=True))
    return Subquery(counted.values("people"), output_field=IntegerField())


def _common_people(rows: QuerySet[Any], other: QuerySet[Any]) -> RawSQL:
    """The number of people named by both sets of fact rows, as a scalar subquery: an INTERSECT of
    the two sets of people, each read from its index. (Filtering one set's rows by `IN` the other's
    people made SQLite look each person's events up one by one.) Both parts are the ORM's own SQL
    and parameters; NULL is left out, since INTERSECT, unlike a count, treats two NULLs as equal."""
    parts = [
        part.filter(**{f"{PERSON}__isnull": False}).order_by().values(PERSON).query.sql_with_params()
        for part in (rows, other)
    ]
    (first, first_params), (second, second_params) = parts
    # Both parts are compiled by the ORM, their values passed as parameters.
    return RawSQL(  # noqa: S611  # nosec B611
        f"SELECT COUNT(*) FROM ({first} INTERSECT {second}) common_people",  # noqa: S608  # nosec B608
        (*first_params, *second_params),
        output_field=IntegerField(),
    )


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
