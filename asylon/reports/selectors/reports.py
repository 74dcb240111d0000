"""Reads of reports and their saved versions: only those of organisations where the user may read statistics."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from asylon.accounts.models import Organisation
from asylon.accounts.selectors import organisations_for
from asylon.reports.models import Report, ReportVersion

READ = "reports.view_statistics"



def reports_of(*, user: Any, organisation: Organisation | None = None) -> QuerySet[Report]:
    """Reports the user may read, newest change first; of one organisation when given."""
    readable = [org.pk for org in organisations_for(user, READ)]
    reports = Report.objects.filter(organisation_id__in=readable).select_related("organisation")
    if organisation is not None:
        reports = reports.filter(organisation=organisation)
    return reports.order_by("-updated_at")


def report_get(*, user: Any, report_id: Any) -> Report:
    """One report the user may read; Report.DoesNotExist otherwise."""
    return reports_of(user=user).get(pk=report_id)


def versions_of(*, user: Any, report: Report) -> QuerySet[ReportVersion]:
    """The saved versions of a report the user may read, newest first."""
    if not user.has_perm(READ, report.organisation):
        return ReportVersion.objects.none()
    return ReportVersion.objects.filter(report=report).select_related("created_by").order_by("-number")


def version_get(*, user: Any, version_id: Any) -> ReportVersion:
    """One saved version of a report the user may read; ReportVersion.DoesNotExist otherwise."""
    readable = [org.pk for org in organisations_for(user, READ)]
    return ReportVersion.objects.select_related("report", "report__organisation").get(
        pk=version_id, organisation_id__in=readable
    )


def version_before(version: ReportVersion) -> ReportVersion | None:
    """The version saved just before this one (None for the first)."""
    return (
        ReportVersion.objects.filter(report_id=version.report_id, number__lt=version.number).order_by("-number").first()
    )
