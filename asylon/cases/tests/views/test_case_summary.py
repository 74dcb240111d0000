"""The printable case summary: a PDF as the viewer's clearance allows, audited, never cached."""

from __future__ import annotations

import datetime
import subprocess

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from asylon.accounts.models import Role
from asylon.audit.models import AuditEntry
from asylon.cases.models import Deadline, Note
from asylon.cases.services.decisions import decision_record
from asylon.cases.services.events import event_record
from asylon.cases.services.statuses import status_period_record
from asylon.common.models import DatePrecision
from tests.factories import person_on_case, sign_in, staff

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_only]


def pdf_text(content: bytes, tmp_path) -> str:
    pdf = tmp_path / "summary.pdf"
    pdf.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout


@pytest.fixture
def case_with_people(case, caseworker):
    person = person_on_case(case, given_name="Сяргей", patronymic="Іванавіч", family_name="Казлоў")
    person_on_case(case, given_name="Žydrūnė", family_name="Šaltenytė")
    event_record(
        actor=caseworker,
        case=case,
        event_type="summons_issued",
        date_precision=DatePrecision.MONTH,
        year=2022,
        month=9,
        description="Summoned to the military commissariat.",
    )
    decision_record(
        actor=caseworker,
        case=case,
        decision_type="residence_permit_temporary",
        decision_maker="migration_department",
        served_on=datetime.date(2024, 3, 4),
    )
    status_period_record(
        actor=caseworker,
        case=case,
        person=person,
        kind="residence",
        status="asylum_applicant",
        started_on=datetime.date(2024, 1, 10),
    )
    Note.objects.create(organisation=case.organisation, case=case, author=caseworker, body="Private remark xyzzy")
    return case


def test_a_caseworker_gets_names_in_any_script_the_reference_and_no_notes(
    client, caseworker, case_with_people, tmp_path
):
    sign_in(client, caseworker)
    response = client.get(reverse("cases:case_summary", args=[case_with_people.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content, tmp_path)
    assert case_with_people.reference in text
    assert "Сяргей Іванавіч Казлоў" in text
    assert "Žydrūnė Šaltenytė" in text
    assert "September 2022" in text  # a month-only date is not shown as the 1st
    assert "1 September" not in text and "Sept. 1" not in text
    assert "March 4, 2024" in text  # the decision, served on a known day
    assert "asylum applicant" in text  # the current status
    assert Deadline.objects.filter(case=case_with_people).exists()
    due = Deadline.objects.filter(case=case_with_people).first()
    assert date_format(due.due_on, "DATE_FORMAT") in text
    assert "xyzzy" not in text
    assert "Page 1 of 1" in text or "Page 1 of 2" in text
    assert AuditEntry.objects.filter(action="case.summary_print", target_id=str(case_with_people.pk)).exists()
    [read] = AuditEntry.objects.filter(action="read", actor=caseworker)
    assert str(case_with_people.pk) in read.details["cases.case"]
    assert len(read.details["people.person"]) == 2
    assert "cases.note" not in read.details


def test_a_viewer_gets_no_names(client, organisation, case_with_people, tmp_path):
    viewer = staff(organisation, Role.VIEWER)
    case_with_people.memberships.create(organisation=organisation, user=viewer)
    sign_in(client, viewer)
    response = client.get(reverse("cases:case_summary", args=[case_with_people.pk]))

    assert response.status_code == 200
    text = pdf_text(response.content, tmp_path)
    assert case_with_people.reference in text
    assert "Сяргей" not in text and "Казлоў" not in text and "Šaltenytė" not in text
    assert "Summoned" not in text  # the description needs confidential clearance
    assert "March 2024" in text and "March 4, 2024" not in text  # the exact day needs confidential clearance
    assert "not shown at your access level" in text


def test_the_summary_is_in_the_users_language(client, caseworker, case_with_people, tmp_path):
    sign_in(client, caseworker)
    with translation.override("lt"):
        url = reverse("cases:case_summary", args=[case_with_people.pk])
    assert url.startswith("/lt/")
    response = client.get(url)
    assert response.status_code == 200
    text = pdf_text(response.content, tmp_path)
    assert "2022 m. rugsėj" in text  # the month-only event, in Lithuanian form
    assert "2024 m. kovo 4 d." in text  # the decision's day


def test_an_outsider_gets_404(client, outsider, case):
    sign_in(client, outsider)
    assert client.get(reverse("cases:case_summary", args=[case.pk])).status_code == 404
    assert not AuditEntry.objects.filter(action="case.summary_print").exists()


def test_the_case_page_links_to_the_summary(client, caseworker, case):
    sign_in(client, caseworker)
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert reverse("cases:case_summary", args=[case.pk]) in page
