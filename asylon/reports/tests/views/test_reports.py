"""Report pages: list, create, edit with preview, downloads, saved versions with what changed."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from asylon.audit.models import AuditEntry
from asylon.reports.models import Report, ReportVersion
from asylon.reports.services.reports import report_create, report_version_save
from tests.factories import OrganisationFactory, case_with_member, event_on, person_on_case, sign_in, staff

pytestmark = pytest.mark.django_db
COUNT = "{{count measure=event of=declared_national_security_threat citizenship=BY}}"
CHART = "{{chart measure=event of=declared_national_security_threat by=year}}"


def client_of(user) -> Client:
    return sign_in(Client(), user)


def threatened(organisation, caseworker, people, year=2023):
    case = case_with_member(organisation, caseworker)
    for _ in range(people):
        event_on(case, person_on_case(case, citizenship="BY"), "declared_national_security_threat", year, 5)


@pytest.fixture
def report(organisation, analyst, caseworker):
    threatened(organisation, caseworker, 6)
    body = f"# Threats\n\nBelarusians declared threats: {COUNT}.\n\n{CHART}\n"
    return report_create(actor=analyst, organisation=organisation, title="Threats", slug="threats", body=body)


def url(name, *args):
    return reverse(f"reports:{name}", args=args)


def test_list_shows_the_organisations_reports(report, caseworker, outsider):
    page = client_of(caseworker).get(url("report_list"))
    assert page.status_code == 200 and "Threats" in page.text
    assert "New report" not in page.text  # caseworkers read reports, analysts and admins write them
    foreign = client_of(staff(OrganisationFactory(), "analyst")).get(url("report_list"))
    assert foreign.status_code == 200 and "Threats" not in foreign.text
    assert client_of(outsider).get(url("report_detail", report.pk)).status_code == 404


def test_viewers_and_auditors_may_not_read_reports(report, organisation):
    for role in ("viewer", "auditor"):
        client = client_of(staff(organisation, role))
        assert client.get(url("report_list")).status_code == 403
        assert client.get(url("report_detail", report.pk)).status_code == 404


def test_create_then_edit(organisation, analyst):
    client = client_of(analyst)
    response = client.post(
        url("report_create"), {"organisation": organisation.pk, "title": "Objectors", "slug": "", "body": "Text."}
    )
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == url("report_edit", report.pk)
    edit = client.get(url("report_edit", report.pk))
    assert "<textarea" in edit.text and "Figure directives" in edit.text and "docs/reports.md" in edit.text
    client.post(url("report_edit", report.pk), {"title": "Objectors", "slug": "objectors", "body": "New text."})
    report.refresh_from_db()
    assert report.body == "New text."


def test_caseworkers_may_not_edit(report, caseworker):
    client = client_of(caseworker)
    assert client.get(url("report_edit", report.pk)).status_code == 403
    assert client.post(url("report_create"), {"title": "X"}).status_code == 403
    assert client.post(url("report_versions", report.pk)).status_code == 403
    assert not ReportVersion.objects.exists()


def test_preview_builds_the_typed_text_without_saving(report, analyst):
    body = f"Now: {COUNT} people."
    response = client_of(analyst).post(
        url("report_edit", report.pk), {"title": "Threats", "slug": "threats", "body": body, "preview": "1"}
    )
    assert response.status_code == 200 and "Now: 6" in response.text and "Preview" in response.text
    report.refresh_from_db()
    assert "Now:" not in report.body


def test_detail_shows_the_built_report_with_figures_and_errors(report, organisation, analyst):
    page = client_of(analyst).get(url("report_detail", report.pk))
    assert page.status_code == 200
    assert "declared threats: 6" in page.text and "<svg" in page.text
    assert url("report_pdf", report.pk) in page.text
    report.body += "\n{{count measure=nonsense}}\n"
    report.save()
    broken = client_of(analyst).get(url("report_detail", report.pk))
    assert broken.status_code == 200 and "nonsense" in broken.text
    assert url("report_pdf", report.pk) not in broken.text  # no download of a report with errors


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("extension", "content_type", "start"),
    [
        ("pdf", "application/pdf", b"%PDF"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK"),
        ("md", "text/markdown; charset=utf-8", b"# Threats"),
        ("html", "text/html; charset=utf-8", b"<!DOCTYPE html>"),
    ],
)
def test_downloads_are_attachments_of_their_type(report, caseworker, extension, content_type, start):
    response = client_of(caseworker).get(url(f"report_{extension}", report.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="threats.{extension}"'
    assert response.content.startswith(start)


def test_a_broken_report_is_not_downloaded(report, analyst):
    report.body = "{{bogus}}"
    report.save()
    response = client_of(analyst).get(url("report_md", report.pk))
    assert response.status_code == 409 and "cannot be built" in response.text


def test_save_as_new_version_shows_what_changed(report, organisation, analyst, caseworker):
    client = client_of(analyst)
    first = client.post(url("report_versions", report.pk))
    version = ReportVersion.objects.get()
    assert first.status_code == 302 and first["Location"] == url("version_detail", version.pk)
    assert "first saved version" in client.get(first["Location"]).text
    threatened(organisation, caseworker, 5, year=2024)
    second = client.post(url("report_versions", report.pk))
    page = client.get(second["Location"])
    assert "What changed since version 1" in page.text
    assert "<td>6</td>" in page.text and "<td>11</td>" in page.text  # the count, old and new
    assert "2024" in page.text and "added" in page.text  # the chart's new year
    assert "<h1>Threats</h1>" in page.text and "<table>" in page.text  # the saved text, as HTML
    listing = client_of(caseworker).get(url("report_versions", report.pk))
    assert listing.status_code == 200 and "Save as a new version" not in listing.text
    assert ">2</a>" in listing.text


def test_a_refused_version_says_why(report, analyst):
    report.body = "{{bogus}}"
    report.save()
    response = client_of(analyst).post(url("report_versions", report.pk))
    assert response.status_code == 200 and "Not saved" in response.text
    assert not ReportVersion.objects.exists()


def test_old_versions_of_another_organisation_are_not_found(report, analyst, outsider):
    version = report_version_save(actor=analyst, report=report)
    assert client_of(outsider).get(url("version_detail", version.pk)).status_code == 404
    assert client_of(analyst).get(url("version_detail", version.pk)).status_code == 200


def test_markup_in_a_report_never_reaches_the_pages_as_markup(organisation, analyst):
    hostile = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    report = report_create(actor=analyst, organisation=organisation, title=hostile, body=f"{hostile}\n\n# {hostile}\n")
    client = client_of(analyst)
    for page in (client.get(url("report_detail", report.pk)), client.get(url("report_list"))):
        assert page.status_code == 200
        assert "<script>alert" not in page.text and "<img src=x" not in page.text


def test_a_version_whose_figures_moved_by_fewer_than_k_people_withholds_them(report, organisation, analyst, caseworker):
    """Differencing control: 6 then 8 people would tell that 2 people were added in between, so the
    new version is saved with those figures withheld, and says so."""
    client = client_of(analyst)
    client.post(url("report_versions", report.pk))
    threatened(organisation, caseworker, 2, year=2024)
    response = client.post(url("report_versions", report.pk), follow=True)
    assert response.status_code == 200
    latest = ReportVersion.objects.get(number=2)
    count = latest.figures[0]
    assert count["withheld"] is True and count["values"] == {"total": None}
    assert "threats: withheld (disclosure control)[^1]" in latest.body and "fewer than 5 people" in latest.body
    assert "withheld (disclosure control)" in response.text


def test_delete_asks_first_then_removes_the_report_and_its_versions(report, analyst, caseworker):
    report_version_save(actor=analyst, report=report)
    client = client_of(analyst)
    page = client.get(url("report_delete", report.pk))
    assert page.status_code == 200 and "Threats" in page.text and Report.objects.filter(pk=report.pk).exists()
    assert client_of(caseworker).post(url("report_delete", report.pk)).status_code == 403
    response = client.post(url("report_delete", report.pk))
    assert response.status_code == 302 and response["Location"] == url("report_list")
    assert not Report.objects.exists() and not ReportVersion.objects.exists()
    assert AuditEntry.objects.get(action="report.delete").details == {"versions": 1}
