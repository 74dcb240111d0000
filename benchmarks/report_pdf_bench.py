"""Report PDF benchmark (issue 5): a report of about 20 pages with 10 charts, built and printed by
Asylon, against plain WeasyPrint printing the same HTML.

(a) Baseline: WeasyPrint alone, given the finished HTML document of the same report (the same
    stylesheets, fonts and inline SVG charts): no figures computed, no disclosure control, no
    Markdown, no charts drawn, no sanitising.
(b) Asylon: build_report (every figure through statistics_release: aggregates in the database,
    disclosure control, the release ledger and the audit; Markdown parsed and rewritten; charts
    drawn by matplotlib; HTML sanitised by nh3) and then report_pdf (WeasyPrint).

The report is generated here: ten sections, each with a few paragraphs, an inline count, a chart
and a table over one population of the data. Everything the run writes (the analyst it creates,
the ledger, the audit entries) is rolled back at the end, so a shared data directory is left as
it was. The target is (b) under 10 s.

Data: the 100,000-person directory of the aggregates benchmark when it exists, else the demo's
300 synthetic persons in a new temporary directory:

    .venv/bin/python benchmarks/report_pdf_bench.py                        # /work/bench-data/sqlite if present
    .venv/bin/python benchmarks/report_pdf_bench.py --data-dir ''          # demo data, a quick run
    .venv/bin/python benchmarks/report_pdf_bench.py --data-dir /work/bench-data/pg \\
        --database-url postgresql://postgres@127.0.0.1:5432/bench_stats
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from pathlib import Path
from typing import Any

from bench_environment import benchmark_environment

BENCH_DATA = Path("/work/bench-data/sqlite")

# One population per section (filters), shown as a count, a chart and a table.
SECTIONS = [
    (
        "People declared a threat to national security",
        "measure=event of=declared_national_security_threat",
        "year",
        "military_service_category",
    ),
    (
        "Residence refused, not extended or revoked",
        "measure=event of=temp_residence_refused,temp_residence_not_extended,temp_residence_revoked",
        "year",
        "event_type",
    ),
    ("Summonses", "measure=event of=summons_issued", "year", "citizenship"),
    (
        "Prosecution in the country of origin",
        "measure=event of=criminal_case_opened,trial_in_absentia,conviction",
        "year",
        "event_type",
    ),
    ("Security service conclusions", "measure=decision of=national_security_conclusion", "year", "grounds"),
    ("Asylum decisions", "measure=decision of=asylum", "year", "outcome"),
    ("Appeals", "measure=appeal", "year", "appeal_result"),
    ("Detention", "measure=detention", "year", "length"),
    ("Entry bans", "measure=entry_ban", "year", "length"),
    ("Pressure on families", "measure=event of=pressure_on_family", "year", "citizenship"),
]
PARAGRAPH = (
    "Lithuanian authorities have since November 2022 asked adult Belarusians and Russians who apply for a residence "
    "document to fill in a security questionnaire. The State Security Department assesses the answers together with "
    "past military service, attendance of a cadet school, employment in state bodies and trips to the country of "
    "origin, and the Migration Department decides on residence in the light of its conclusion. The people concerned "
    "are seldom told what the conclusion rests on, and appeals must be lodged within fourteen days of service."
)


def long_report() -> str:
    """The benchmark's report: ten sections of text, each with a count, a chart and a table."""
    parts = ["Introductory text for a benchmark report. " + PARAGRAPH]
    for title, population, chart_by, table_by in SECTIONS:
        parts += [
            f"## {title}",
            PARAGRAPH,
            f"In the records: {{{{count {population}}}}} people.",
            PARAGRAPH,
            f"{{{{chart {population} by={chart_by}}}}}",
            PARAGRAPH,
            f"{{{{table {population} by={table_by}}}}}",
            PARAGRAPH + " " + PARAGRAPH,
        ]
    return "\n\n".join(parts) + "\n"


def prepare(data_dir: str) -> tuple[Any, Any]:
    """The organisation to report on and an analyst (created inside the caller's transaction)."""
    from asylon.accounts.models import Organisation, Role
    from asylon.accounts.services import staff_user_create

    if not data_dir:
        from asylon.reports.sample_report import sample_world

        world = sample_world()
        return world.organisation, world.analyst
    organisation = Organisation.objects.order_by("created_at").first()
    if organisation is None:
        raise SystemExit(f"No organisation in {data_dir}: run the aggregates benchmark first, or pass --data-dir ''.")
    analyst, _password = staff_user_create(
        actor=None, organisation=organisation, email="bench-report-analyst@example.org", role=Role.ANALYST
    )
    return organisation, analyst


def check_schema() -> None:
    """Stop with a clear message when the data directory's tables lack columns the models have (a
    migration edited after the directory was migrated): the run would fail half-way otherwise."""
    from django.apps import apps
    from django.db import connection

    with connection.cursor() as cursor:
        for model in apps.get_app_config("reports").get_models():
            table = model._meta.db_table
            present = {column.name for column in connection.introspection.get_table_description(cursor, table)}
            missing = sorted(f.column for f in model._meta.concrete_fields if f.column not in present)
            if missing:
                raise SystemExit(f"{table} lacks {', '.join(missing)}: synthesise a new data directory.")


def page_count(pdf: bytes) -> int:
    import pikepdf

    with pikepdf.open(__import__("io").BytesIO(pdf)) as document:
        return len(document.pages)


def run(*, data_dir: str, runs: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe
    from weasyprint import HTML

    from asylon.common.pdf import BASE_URL, static_only_fetcher
    from asylon.people.models import Person
    from asylon.reports.reporting.engine import build_report, report_pdf

    markdown = long_report()
    call_command("migrate", verbosity=0)
    check_schema()
    with transaction.atomic():
        organisation, analyst = prepare(data_dir)
        persons = Person.objects.filter(organisation=organisation).count()
        builds, prints, baselines = [], [], []
        for _ in range(runs):
            started = time.perf_counter()
            built = build_report(actor=analyst, organisation=organisation, markdown=markdown, title="Benchmark report")
            built_at = time.perf_counter()
            pdf = report_pdf(built)
            builds.append(built_at - started)
            prints.append(time.perf_counter() - built_at)
            # The baseline: the same finished HTML document, printed by WeasyPrint alone.
            html = render_to_string(
                "reports/reporting/report_pdf.html",
                {"built": built, "body": mark_safe(built.print_html)},
            )
            started = time.perf_counter()
            baseline_pdf = HTML(string=html, base_url=BASE_URL, url_fetcher=static_only_fetcher()).write_pdf()
            baselines.append(time.perf_counter() - started)
        errors = list(built.errors)
        transaction.set_rollback(True)
    charts = sum(figure["kind"] == "chart" for figure in built.figures)
    asylon = [build + printed for build, printed in zip(builds, prints, strict=True)]
    print(
        f"Report PDF benchmark: {connection.vendor}, {persons:,} persons, {runs} runs, "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"  report: {page_count(pdf)} pages ({page_count(baseline_pdf)} in the baseline), {charts} charts, "
        f"{len(built.figures)} figures, {len(errors)} errors"
    )
    for error in errors:
        print(f"    {error}")
    print(f"  (a) plain WeasyPrint on the same HTML   median {statistics.median(baselines):6.2f} s")
    print(
        f"  (b) Asylon build + PDF                  median {statistics.median(asylon):6.2f} s "
        f"(build {statistics.median(builds):.2f} s, PDF {statistics.median(prints):.2f} s)"
    )
    ratio = statistics.median(asylon) / statistics.median(baselines)
    verdict = "under" if statistics.median(asylon) < 10 else "OVER"
    print(f"  ratio (b)/(a) {ratio:.2f}; target 10 s: {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--data-dir",
        default=str(BENCH_DATA) if BENCH_DATA.is_dir() else "",
        help="a data directory with synthetic data ('' for a new one with the demo data)",
    )
    parser.add_argument("--database-url", default="")
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    benchmark_environment(
        data_dir=arguments.data_dir, database_url=arguments.database_url, prefix="asylon-report-bench-"
    )
    run(data_dir=arguments.data_dir, runs=arguments.runs)


if __name__ == "__main__":
    main()
