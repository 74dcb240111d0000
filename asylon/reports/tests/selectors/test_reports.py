"""Report selectors: only reports of organisations where the user may read statistics."""

from __future__ import annotations

import pytest

from asylon.reports.models import Report, ReportVersion
from asylon.reports.selectors.reports import report_get, reports_of, version_before, version_get, versions_of
from asylon.reports.services.reports import report_create
from tests.factories import OrganisationFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(organisation, analyst):
    return report_create(actor=analyst, organisation=organisation, title="Ours", body="Text.")


def versions(report, count):
    return [
        ReportVersion.objects.create(organisation=report.organisation, report=report, number=n, body="b")
        for n in range(1, count + 1)
    ]


def test_readers_see_their_organisations_reports_only(report, caseworker, outsider):
    other = OrganisationFactory()
    report_create(actor=staff(other, "analyst"), organisation=other, title="Theirs")
    assert [r.title for r in reports_of(user=caseworker)] == ["Ours"]
    assert report_get(user=caseworker, report_id=report.pk) == report
    assert not reports_of(user=outsider).filter(pk=report.pk).exists()
    with pytest.raises(Report.DoesNotExist):
        report_get(user=outsider, report_id=report.pk)


def test_viewers_see_no_report_and_no_version(report, organisation):
    viewer = staff(organisation, "viewer")
    [version] = versions(report, 1)
    assert not reports_of(user=viewer).exists()
    assert not versions_of(user=viewer, report=report).exists()
    with pytest.raises(ReportVersion.DoesNotExist):
        version_get(user=viewer, version_id=version.pk)


def test_versions_newest_first_and_the_one_before(report, lawyer):
    first, second, third = versions(report, 3)
    assert [v.number for v in versions_of(user=lawyer, report=report)] == [3, 2, 1]
    assert version_get(user=lawyer, version_id=second.pk) == second
    assert version_before(third) == second and version_before(first) is None
