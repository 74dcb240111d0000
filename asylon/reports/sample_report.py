"""The sample report in docs/examples/: its source, the demo data it is built from, and its outputs.

The data are those of `asylon demo` (the same synthetic persons for the same seed) plus the
registered outside figures, and the as-of time is fixed, so the generated Markdown is the same on
every run and machine: a test rebuilds it and compares (`make sample-report` writes it anew).
"""

from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path
from typing import Any

from asylon.accounts.models import Organisation, OrgPolicy, Role, User

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
NAME = "belarusian-objectors-lithuania"
SOURCE = EXAMPLES / f"{NAME}.md"
GENERATED_MARKDOWN = EXAMPLES / f"{NAME}.generated.md"
GENERATED_PDF = EXAMPLES / f"{NAME}.pdf"
# After the demo data's last day (2025-12-31): the footnotes state it, so it must never move.
AS_OF = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
ORGANISATION_SLUG = "our-house-demo"
ANALYST_EMAIL = "analyst@example.org"


@dataclasses.dataclass(frozen=True)
class SampleWorld:
    organisation: Organisation
    analyst: User


def sample_world() -> SampleWorld:
    """An organisation with the demo's synthetic persons (DEMO_PERSONS, DEMO_SEED), the outside
    figures, and an analyst to release the figures to. Call it on an empty database (tests, a
    scratch instance): it writes 300 persons."""
    from asylon.accounts.services import staff_user_create
    from asylon.ops.management.commands.demo import DEMO_PERSONS, DEMO_SEED
    from asylon.ops.synth import synthesise
    from asylon.reports.services.outside_figures import outside_figures_load

    organisation = Organisation.objects.create(name="Our House (demo)", slug=ORGANISATION_SLUG, country="LT")
    OrgPolicy.objects.get_or_create(organisation=organisation)
    analyst, _password = staff_user_create(
        actor=None, organisation=organisation, email=ANALYST_EMAIL, role=Role.ANALYST, display_name="Demo analyst"
    )
    synthesise(organisation=organisation, persons=DEMO_PERSONS, seed=DEMO_SEED)
    outside_figures_load(actor=None, organisation=organisation)
    return SampleWorld(organisation=organisation, analyst=analyst)


def sample_build(world: SampleWorld) -> Any:
    """The sample report built from its source in docs/examples/ (a BuiltReport)."""
    from asylon.reports.management.commands.report import source_report
    from asylon.reports.services.reports import build

    report = source_report(str(SOURCE), world.organisation)
    return build(actor=world.analyst, report=report, as_of=AS_OF)


def sample_write(built: Any) -> list[Path]:
    """Write the generated Markdown and PDF beside the source; return their paths."""
    from asylon.reports.reporting.engine import report_markdown, report_pdf

    GENERATED_MARKDOWN.write_text(report_markdown(built), encoding="utf-8")
    GENERATED_PDF.write_bytes(report_pdf(built))
    return [GENERATED_MARKDOWN, GENERATED_PDF]
