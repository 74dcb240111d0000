"""Writes for reports: create, change, delete, and save a built rendering as a numbered version.
Each function authorises, validates, writes and appends its audit entry in one transaction."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from asylon.accounts.models import Organisation
from asylon.accounts.permissions import require
from asylon.audit import services as audit
from asylon.common.services import assign, reject_unknown_fields
from asylon.reports.models import Report, ReportVersion
from asylon.reports.reporting.engine import BuiltReport, build_report

CHANGE = "reports.change_report"
REPORT_FIELDS = frozenset({"title", "slug", "body"})


def report_build(*, actor: Any, report: Report, as_of: datetime.datetime | None = None) -> BuiltReport:
    """The report built now by the engine (a preview). Errors in the text do not raise: the engine lists
    them in .errors and marks them where they occur."""
    return build_report(
        actor=actor, organisation=report.organisation, markdown=report.body, title=report.title, as_of=as_of
    )


def build(*, actor: Any, report: Report, as_of: datetime.datetime | None = None) -> BuiltReport:
    """The report built now, for saving or a file: a ValidationError on `body` listing every error
    (unknown directive or key, refused figure) when it cannot be built as written."""
    built = report_build(actor=actor, report=report, as_of=as_of)
    if built.errors:
        raise ValidationError({"body": [str(error) for error in built.errors]})
    return built


def _check_slug(report: Report) -> None:
    if not report.slug:
        report.slug = slugify(report.title)[:80] or "report"
    clash = Report.objects.filter(organisation_id=report.organisation_id, slug=report.slug).exclude(pk=report.pk)
    if clash.exists():
        raise ValidationError({"slug": _("Another report of this organisation has this short name.")})


@transaction.atomic
def report_create(*, actor: Any, organisation: Organisation, title: str, slug: str = "", body: str = "") -> Report:
    """Start a report in an organisation (its text may be empty)."""
    require(actor, CHANGE, organisation)
    report = Report(organisation=organisation, title=title, slug=slug, body=body, created_by=actor if actor else None)
    _check_slug(report)
    report.full_clean(exclude=["created_by"])
    report.save()
    audit.record(actor=actor, action="report.create", target=report, changed_fields=["title", "slug", "body"])
    return report


@transaction.atomic
def report_update(*, actor: Any, report: Report, **fields: Any) -> Report:
    """Change a report's title, short name or text."""
    require(actor, CHANGE, report.organisation)
    reject_unknown_fields(fields, REPORT_FIELDS)
    changed = sorted(name for name, value in fields.items() if assign(report, name, value))
    if not changed:
        return report
    _check_slug(report)
    report.full_clean(exclude=["created_by"])
    report.save()
    audit.record(actor=actor, action="report.update", target=report, changed_fields=changed)
    return report


@transaction.atomic
def report_delete(*, actor: Any, report: Report) -> None:
    """Delete a report and its saved versions."""
    require(actor, CHANGE, report.organisation)
    versions = report.versions.count()
    audit.record(actor=actor, action="report.delete", target=report, details={"versions": versions})
    report.delete()


@transaction.atomic
def report_version_save(*, actor: Any, report: Report, as_of: datetime.datetime | None = None) -> ReportVersion:
    """Build the report now and keep the result (its final text and every figure) as the next version.
    Refused, with nothing written, when the report cannot be built."""
    require(actor, CHANGE, report.organisation)
    # Lock the report so two saves at once get consecutive numbers rather than a constraint error.
    Report.objects.select_for_update().filter(pk=report.pk).first()
    built = build(actor=actor, report=report, as_of=as_of)
    latest = ReportVersion.objects.filter(report=report).aggregate(latest=Max("number"))["latest"] or 0
    version = ReportVersion(
        organisation=report.organisation,
        report=report,
        number=latest + 1,
        body=built.markdown,
        figures=list(built.figures),
        created_by=actor if actor else None,
    )
    version.save()
    audit.record(
        actor=actor,
        action="report.version_save",
        target=version,
        details={"report": str(report.pk), "number": version.number, "figures": len(version.figures)},
    )
    return version
