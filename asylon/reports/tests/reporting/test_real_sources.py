"""The engine on the real services: every case figure released through statistics_release (ledger
and audit entry), outside figures from the registry, service errors shown in the report."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from asylon.accounts.models import Role
from asylon.audit.models import AuditEntry
from asylon.evidence.models import Source
from asylon.reports.models import ExternalStatistic
from asylon.reports.reporting.engine import build_report
from tests.factories import CaseFactory, OrganisationFactory, event_on, person_on_case, staff

THREAT = "declared_national_security_threat"
AS_OF = datetime.datetime(2026, 11, 1, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def organisation(db):
    organisation = OrganisationFactory()
    case = CaseFactory(organisation=organisation)
    for citizenship, count in (("BY", 12), ("UA", 2), ("RU", 7)):
        for _ in range(count):
            event_on(case, person_on_case(case, citizenship=citizenship), THREAT, 2023, 3)
    source = Source.objects.create(
        organisation=organisation,
        title="Threat conclusions",
        publisher="Migration Department",
        url="https://example.org/",
    )
    ExternalStatistic.objects.create(
        organisation=organisation, code="threats-2023", label="threat conclusions", value=Decimal("598"), source=source
    )
    return organisation


def test_case_figures_go_through_statistics_release_and_outside_figures_are_cited(organisation):
    analyst = staff(organisation, Role.ANALYST)
    built = build_report(
        actor=analyst,
        organisation=organisation,
        title="Threats 2023",
        as_of=AS_OF,
        markdown=(
            f"{{{{count measure=event of={THREAT} citizenship=BY from=2023-01 to=2023-06}}}} Belarusians; "
            f"{{{{count measure=event of={THREAT} citizenship=UA}}}} Ukrainians; "
            "the ministry counted {{cited statistic=threats-2023}}.\n\n"
            f"{{{{table measure=event of={THREAT} by=citizenship}}}}\n\n"
            "{{count measure=event colour=red}} {{cited statistic=nothing}}\n"
        ),
    )
    assert "12[^1] Belarusians" in built.markdown
    assert "suppressed (disclosure control)[^2] Ukrainians" in built.markdown
    assert "598[^3]" in built.markdown
    assert "Migration Department" in built.footnotes[2] and "example.org" in built.footnotes[2]
    assert "N = 12" in built.footnotes[0] and "2026-11-01" in built.footnotes[0]
    assert "Counts below 5 people are suppressed" in built.footnotes[0]
    assert [error.split(":")[0] for error in built.errors] == ["Line 5", "Line 5"]
    assert "“colour”" in built.errors[0] and "no outside figure" in built.errors[1]
    assert AuditEntry.objects.filter(action="statistics.release").count() == 3  # two counts and the table
    table = built.figures[3]
    assert table["kind"] == "table" and table["values"]["cell:BY"] == 12 and table["values"]["cell:UA"] is None


def test_someone_without_statistics_permission_is_refused(organisation):
    outsider = staff(OrganisationFactory(), Role.ANALYST)
    with pytest.raises(PermissionDenied):
        build_report(actor=outsider, organisation=organisation, title="t", markdown="{{count measure=event}}")


def test_round_asks_for_rounded_counts_and_the_footnote_says_so(organisation):
    analyst = staff(organisation, Role.ANALYST)
    built = build_report(
        actor=analyst,
        organisation=organisation,
        title="Rounded",
        as_of=AS_OF,
        markdown=(
            f"{{{{count measure=event of={THREAT} citizenship=BY round=5}}}} Belarusians.\n\n"
            f"{{{{count measure=event of={THREAT} round=many}}}}\n"
        ),
    )
    assert "10[^1] Belarusians" in built.markdown  # 12 people, rounded to the nearest 5
    assert "rounded to the nearest 5" in built.footnotes[0]
    assert built.figures[0]["values"]["total"] == 10
    assert built.errors == ["Line 3: round takes a whole number from 1 to 100."]
