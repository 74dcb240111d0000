"""Statistics aggregates benchmark (issue 5): the statistics page's aggregate set through count_table
against the same aggregates written as raw SQL, on the same database, in one run.

(a) Asylon: `count_table(organisation=..., question=...)` for each question below (validation, the
    grouped cells, the row and column margins and the total, each a distinct-people query, and the
    display order of the values).
(b) Raw SQL: the same cells, margins and total as hand-written SELECT ... COUNT(DISTINCT person)
    ... GROUP BY statements through a cursor.
(c) For scale, not compared: the whole release a page makes, `statistics_release` (the count, the
    differencing check against an empty ledger, protection, the ledger rows, the audit entry), each
    rolled back.

Both sides must give identical numbers (the script stops if not). Each question runs `--repeat`
times per side, alternating; the script prints the median per question and side, the sum of the
medians (the page's whole set) and the ratio Asylon / raw SQL. The data is `asylon synth --persons N`
(100,000 by default), created once in the data directory and reused (synthesising takes minutes):

    .venv/bin/python benchmarks/statistics_bench.py --data-dir /work/bench-data/sqlite
    .venv/bin/python benchmarks/statistics_bench.py --persons 2000 --repeat 3        # a quick run
    psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE bench_stats'
    .venv/bin/python benchmarks/statistics_bench.py --data-dir /work/bench-data/pg \\
        --database-url postgresql://postgres@127.0.0.1:5432/bench_stats
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections.abc import Callable
from typing import Any

from bench_environment import benchmark_environment

THREAT = "declared_national_security_threat"
RESIDENCE = (
    "temp_residence_refused",
    "temp_residence_not_extended",
    "temp_residence_revoked",
    "perm_residence_refused",
    "perm_residence_revoked",
)
LISTS = ("added_to_extremist_list", "added_to_terrorist_list")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each question per side")
    parser.add_argument("--data-dir", default="", help="kept between runs (default: a new temporary directory)")
    parser.add_argument("--database-url", default="")
    arguments = parser.parse_args()

    benchmark_environment(
        data_dir=arguments.data_dir, database_url=arguments.database_url, prefix="asylon-stats-bench-"
    )
    run(persons=arguments.persons, repeat=arguments.repeat)


def prepare(persons: int) -> Any:
    """The synthetic organisation, synthesised on first use."""
    from django.core.management import call_command

    from asylon.accounts.models import Organisation
    from asylon.accounts.services import organisation_create
    from asylon.people.models import Person

    call_command("migrate", verbosity=0)
    if not Organisation.objects.exists():
        organisation_create(actor=None, name="Benchmark organisation")
    organisation = Organisation.objects.order_by("created_at").first()
    assert organisation is not None
    have = Person.objects.filter(organisation=organisation).count()
    if have < persons:
        if have:
            raise SystemExit(f"The data directory holds {have} persons, fewer than {persons}: use a new one.")
        call_command("synth", persons=persons)
    return organisation


# ---------------------------------------------------------------------------------------------
# The raw SQL side: FROM/WHERE and the dimension expressions by hand, one statement per grouping.


def _in(codes: tuple[str, ...]) -> str:
    return ", ".join(f"'{code}'" for code in codes)


EVENTS = """FROM cases_event e JOIN vocab_term t ON t.id = e.event_type_id {join}
WHERE e.organisation_id = %s AND e.person_id IS NOT NULL AND t.code IN ({codes})"""
PERSON = "JOIN people_person p ON p.id = e.person_id"
DECISIONS = """FROM cases_decision d
LEFT JOIN cases_event ev ON ev.id = d.event_id
JOIN vocab_term dt ON dt.id = d.decision_type_id {join}
WHERE d.organisation_id = %s AND dt.code = '{code}'"""
GROUNDS = "LEFT JOIN cases_decision_grounds dg ON dg.decision_id = d.id LEFT JOIN vocab_term g ON g.id = dg.term_id"
OUTCOME = "LEFT JOIN vocab_term o ON o.id = d.outcome_id"
APPEALS = """FROM cases_proceeding pr
LEFT JOIN cases_decision d ON d.id = pr.decision_id
LEFT JOIN cases_event ev ON ev.id = d.event_id
LEFT JOIN vocab_term o ON o.id = pr.outcome_id
WHERE pr.organisation_id = %s"""
# The decision's (or challenged decision's) event person, else the case's first client by id.
CLIENT = """COALESCE(ev.person_id, (SELECT cp.person_id FROM cases_caseparty cp
 WHERE cp.case_id = {case} AND cp.role = 'client' ORDER BY cp.person_id LIMIT 1))"""
STATUSES = (
    """FROM cases_statusperiod s WHERE s.organisation_id = %s AND s.kind = '{kind}' AND s.status IN ({statuses})"""
)
APPEAL_RESULT = """CASE WHEN o.code IN ('annulled_remitted', 'grant', 'interim_measures_granted', 'refugee_status',
 'subsidiary_protection', 'temporary_protection', 'humanitarian_permit') THEN 'won'
 WHEN o.code IN ('upheld', 'refuse', 'revoke', 'not_extend', 'inadmissible', 'manifestly_unfounded', 'dublin_transfer',
 'interim_measures_refused') THEN 'lost' WHEN o.code IN ('discontinued_or_withdrawn') THEN 'withdrawn'
 WHEN pr.outcome_id IS NULL THEN 'pending' ELSE 'unknown' END"""
LENGTH = """CASE WHEN s.duration_days <= 7 THEN 'd0_7' WHEN s.duration_days <= 30 THEN 'd8_30'
 WHEN s.duration_days <= 90 THEN 'd31_90' WHEN s.duration_days <= 180 THEN 'd91_180'
 WHEN s.duration_days <= 365 THEN 'd181_365' WHEN s.duration_days <= 730 THEN 'y1_2'
 WHEN s.duration_days <= 1826 THEN 'y2_5' WHEN s.duration_days IS NOT NULL THEN 'y5_plus' END"""


def raw_table(sql_from: str, person: str, dimensions: list[str], params: list[Any]) -> dict[str, Any]:
    """Cells (non-zero), margins and total of distinct people, by hand-written GROUP BY statements."""
    from django.db import connection

    def grouped(expressions: list[str]) -> dict[tuple[str, ...], int]:
        select = ", ".join([*expressions, f"COUNT(DISTINCT {person})"])
        group = f" GROUP BY {', '.join(str(n + 1) for n in range(len(expressions)))}" if expressions else ""
        # The person table is joined only by the statements that read it (as count_table does).
        needs_person = "p." in select or "p." in sql_from
        statement = f"SELECT {select} {sql_from.replace('{join}', PERSON if needs_person else '')}{group}"
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            return {
                tuple("unknown" if value is None or value == "" else str(value) for value in row[:-1]): row[-1]
                for row in cursor.fetchall()
            }

    cells = grouped(dimensions)
    result: dict[str, Any] = {"total": grouped([])[()], "cells": {key: n for key, n in cells.items() if n}}
    if len(dimensions) == 2:
        result["row_totals"] = {key[0]: n for key, n in grouped(dimensions[:1]).items()}
        result["column_totals"] = {key[0]: n for key, n in grouped(dimensions[1:]).items()}
    return result


def asylon_result(table: Any) -> dict[str, Any]:
    result: dict[str, Any] = {"total": table.total, "cells": {key: n for key, n in table.cells.items() if n}}
    if table.columns:
        result["row_totals"] = dict(table.row_totals)
        result["column_totals"] = dict(table.column_totals)
    return result


def workload() -> list[tuple[str, dict[str, str], Callable[[list[Any]], dict[str, Any]]]]:
    """(label, question parameters, raw SQL side) for the statistics page's aggregate set."""

    def events(codes: str) -> str:
        return EVENTS.format(codes=codes, join="{join}")

    return [
        (
            "threats by year x citizenship",
            {"measure": "event", "of": THREAT, "by": "year,citizenship"},
            lambda p: raw_table(events(_in((THREAT,))), "e.person_id", ["e.year", "p.citizenship"], p),
        ),
        (
            "threats by military service, 2023 H1",
            {"measure": "event", "of": THREAT, "by": "military_service_category", "from": "2023-01", "to": "2023-06"},
            lambda p: raw_table(
                events(_in((THREAT,)))
                + " AND (e.year > 2023 OR (e.year = 2023 AND e.month >= 1) OR (e.year = 2023 AND e.month IS NULL))"
                + " AND (e.year < 2023 OR (e.year = 2023 AND e.month <= 6))",
                "e.person_id",
                ["p.military_service_category"],
                p,
            ),
        ),
        (
            "residence refusals by year",
            {"measure": "event", "of": ",".join(RESIDENCE), "by": "year"},
            lambda p: raw_table(events(_in(RESIDENCE)), "e.person_id", ["e.year"], p),
        ),
        (
            "visa refusals by citizenship",
            {"measure": "event", "of": "visa_refused", "by": "citizenship"},
            lambda p: raw_table(events(_in(("visa_refused",))), "e.person_id", ["p.citizenship"], p),
        ),
        (
            "asylum applications, Belarusians, by half-year",
            {"measure": "event", "of": "asylum_application_lodged", "citizenship": "BY", "by": "half"},
            lambda p: raw_table(
                events(_in(("asylum_application_lodged",))) + " AND p.citizenship = 'BY'",
                "e.person_id",
                [
                    "CASE WHEN e.month IS NOT NULL THEN e.year END || '-H' || "
                    "CASE WHEN e.month <= 6 THEN 1 WHEN e.month >= 7 THEN 2 END"
                ],
                p,
            ),
        ),
        (
            "expulsions, trials in absentia, list inclusions by year",
            {
                "measure": "event",
                "of": ",".join(("expulsion_or_deportation", "trial_in_absentia", *LISTS)),
                "by": "year",
            },
            lambda p: raw_table(
                events(_in(("expulsion_or_deportation", "trial_in_absentia", *LISTS))), "e.person_id", ["e.year"], p
            ),
        ),
        (
            "security conclusions by grounds",
            {"measure": "decision", "of": "national_security_conclusion", "by": "grounds"},
            lambda p: raw_table(
                DECISIONS.format(code="national_security_conclusion", join=GROUNDS),
                CLIENT.format(case="d.case_id"),
                ["g.code"],
                p,
            ),
        ),
        (
            "asylum decisions by outcome",
            {"measure": "decision", "of": "asylum", "by": "outcome"},
            lambda p: raw_table(
                DECISIONS.format(code="asylum", join=OUTCOME), CLIENT.format(case="d.case_id"), ["o.code"], p
            ),
        ),
        (
            "appeals by year x result",
            {"measure": "appeal", "by": "year,appeal_result"},
            lambda p: raw_table(APPEALS, CLIENT.format(case="pr.case_id"), ["pr.lodged_year", APPEAL_RESULT], p),
        ),
        (
            "detentions by length",
            {"measure": "detention", "by": "length"},
            lambda p: raw_table(
                STATUSES.format(kind="liberty", statuses=_in(("detained_administrative", "detained_criminal"))),
                "s.person_id",
                [LENGTH],
                p,
            ),
        ),
        (
            "entry bans by length",
            {"measure": "entry_ban", "by": "length"},
            lambda p: raw_table(
                STATUSES.format(kind="residence", statuses=_in(("banned_from_entry",))), "s.person_id", [LENGTH], p
            ),
        ),
    ]


def run(*, persons: int, repeat: int) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, transaction

    from asylon.accounts.models import Role
    from asylon.accounts.services import staff_user_create
    from asylon.reports.services.statistics import statistics_release
    from asylon.reports.statistics.aggregates import count_table, question_from_params

    organisation = prepare(persons)
    params = [organisation.pk.hex if connection.vendor == "sqlite" else organisation.pk]
    rows: list[tuple[str, float, float, float, int]] = []
    with transaction.atomic():  # the analyst, ledger rows and audit entries of (c) are rolled back
        analyst, _password = staff_user_create(
            actor=None, organisation=organisation, email="bench-statistics-analyst@example.org", role=Role.ANALYST
        )
        for label, question_params, raw in workload():
            question = question_from_params(question_params)
            asylon_times, raw_times, release_times = [], [], []
            expected = raw(params)  # warm-up of both sides, and the numbers to agree on
            got = asylon_result(count_table(organisation=organisation, question=question))
            if got != expected:
                raise SystemExit(f"{label}: count_table and raw SQL disagree\n  asylon {got}\n  raw    {expected}")
            for _ in range(repeat):
                started = time.perf_counter()
                count_table(organisation=organisation, question=question)
                asylon_times.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                raw(params)
                raw_times.append((time.perf_counter() - started) * 1000)
                with transaction.atomic():  # each release against the same (empty) ledger
                    started = time.perf_counter()
                    statistics_release(actor=analyst, organisation=organisation, question=question)
                    release_times.append((time.perf_counter() - started) * 1000)
                    transaction.set_rollback(True)
            rows.append(
                (
                    label,
                    statistics.median(asylon_times),
                    statistics.median(raw_times),
                    statistics.median(release_times),
                    expected["total"],
                )
            )
        transaction.set_rollback(True)

    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(
        f"\nStatistics aggregates, {persons:,} persons, {connection.vendor}, {platform.python_version()}, "
        f"{os.cpu_count()} cores, median of {repeat} runs"
    )
    print(f"load average at the end: {load}")
    print(f"{'question':58} {'people':>8} {'asylon ms':>10} {'raw ms':>9} {'ratio':>6} {'released ms':>12}")
    for label, asylon_ms, raw_ms, released_ms, total in rows:
        print(f"{label:58} {total:8,} {asylon_ms:10.1f} {raw_ms:9.1f} {asylon_ms / raw_ms:6.2f} {released_ms:12.1f}")
    asylon_sum, raw_sum, released_sum = (sum(row[column] for row in rows) for column in (1, 2, 3))
    ratio = asylon_sum / raw_sum
    print(f"{'the whole set':58} {'':8} {asylon_sum:10.1f} {raw_sum:9.1f} {ratio:6.2f} {released_sum:12.1f}")
    print("numbers identical on both sides: yes")
    print("released: statistics_release (count, differencing against an empty ledger, protection, ledger, audit)")
    print(f"(data directory: {settings.DATA_DIR})")


if __name__ == "__main__":
    main()
