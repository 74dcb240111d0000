"""Report services: create, change, delete, and numbered versions that keep every figure."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from asylon.audit.models import AuditEntry
from asylon.reports.models import Report, ReportVersion
from asylon.reports.services.reports import (
    report_create,
    report_delete,
    report_update,
    report_version_save,
)
from tests.factories import case_with_member, event_on, person_on_case

pytestmark = pytest.mark.django_db

AS_OF = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
COUNT = "{{count measure=event of=declared_national_security_threat citizenship=BY}}"


def threatened(organisation, caseworker, people):
    """`people` Belarusians each declared a threat to national security in 2023."""
    case = case_with_member(organisation, caseworker)
    for _ in range(people):
        person = person_on_case(case, citizenship="BY")
        event_on(case, person, "declared_national_security_threat", 2023, 5)


def test_create_derives_the_short_name_and_audits(organisation, analyst):
    report = report_create(actor=analyst, organisation=organisation, title="Objectors in Lithuania", body="Text.")
    assert report.slug == "objectors-in-lithuania"
    assert report.created_by == analyst
    entry = AuditEntry.objects.get(action="report.create")
    assert entry.target_id == str(report.pk) and entry.actor_id == analyst.pk


def test_a_short_name_is_unique_in_the_organisation(organisation, analyst):
    report_create(actor=analyst, organisation=organisation, title="A", slug="same")
    with pytest.raises(ValidationError) as refused:
        report_create(actor=analyst, organisation=organisation, title="B", slug="same")
    assert "slug" in refused.value.error_dict
    assert Report.objects.count() == 1


@pytest.mark.parametrize("role", ["caseworker", "lawyer"])
def test_only_admins_and_analysts_write_reports(organisation, request, role):
    with pytest.raises(PermissionDenied):
        report_create(actor=request.getfixturevalue(role), organisation=organisation, title="No")
    assert not Report.objects.exists()


def test_update_audits_only_what_changed(organisation, analyst):
    report = report_create(actor=analyst, organisation=organisation, title="T", body="Old.")
    report_update(actor=analyst, report=report, title="T", body="New.")
    entry = AuditEntry.objects.get(action="report.update")
    assert entry.changed_fields == ["body"]
    report_update(actor=analyst, report=report, body="New.")
    assert AuditEntry.objects.filter(action="report.update").count() == 1
    with pytest.raises(ValidationError):
        report_update(actor=analyst, report=report, organisation=None)


def test_versions_are_numbered_and_keep_text_and_figures(organisation, analyst, caseworker):
    threatened(organisation, caseworker, 7)
    report = report_create(actor=analyst, organisation=organisation, title="T", body=f"Declared threats: {COUNT}.")
    first = report_version_save(actor=analyst, report=report, as_of=AS_OF)
    second = report_version_save(actor=analyst, report=report, as_of=AS_OF)
    assert (first.number, second.number) == (1, 2)
    assert "Declared threats: 7" in first.body and "[^1]:" in first.body
    [figure] = first.figures
    assert figure["kind"] == "count" and figure["values"]["total"] == 7
    entries = AuditEntry.objects.filter(action="report.version_save").order_by("sequence")
    assert [entry.details["number"] for entry in entries] == [1, 2]
    assert entries[0].target_id == str(first.pk)


def test_a_report_with_errors_is_not_saved_and_nothing_is_written(organisation, analyst):
    report = report_create(actor=analyst, organisation=organisation, title="T", body="Line one.\n\n{{bogus x=1}}\n")
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        report_version_save(actor=analyst, report=report)
    assert "body" in refused.value.error_dict
    assert "3" in " ".join(refused.value.messages)  # the line of the error
    assert not ReportVersion.objects.exists()
    assert AuditEntry.objects.count() == before


def test_readers_who_may_not_write_cannot_save_a_version(organisation, analyst, caseworker):
    report = report_create(actor=analyst, organisation=organisation, title="T", body="Text.")
    with pytest.raises(PermissionDenied):
        report_version_save(actor=caseworker, report=report)
    assert not ReportVersion.objects.exists()


def test_delete_removes_the_versions_and_audits(organisation, analyst):
    report = report_create(actor=analyst, organisation=organisation, title="T", body="Text.")
    report_version_save(actor=analyst, report=report)
    report_delete(actor=analyst, report=report)
    assert not Report.objects.exists() and not ReportVersion.objects.exists()
    assert AuditEntry.objects.get(action="report.delete").details == {"versions": 1}


def test_an_unchanged_report_saves_again(organisation, analyst, caseworker):
    """Viewing a report builds it; saving a version then builds it again: neither may be refused."""
    case = case_with_member(organisation, caseworker)
    for year, people in ((2023, 7), (2024, 3)):
        for _ in range(people):
            event_on(case, person_on_case(case), "declared_national_security_threat", year, 5)
    body = "{{count measure=event of=declared_national_security_threat}}\n\n" + (
        "{{table measure=event of=declared_national_security_threat by=year}}\n"
    )
    report = report_create(actor=analyst, organisation=organisation, title="T", body=body)
    report_version_save(actor=analyst, report=report)
    assert report_version_save(actor=analyst, report=report).number == 2
