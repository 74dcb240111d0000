"""The triage pages: queue, a submission, reply, discard, convert and file download; who is refused."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.formats import date_format

from asylon.accounts.models import Role
from asylon.audit.models import AuditEntry
from asylon.cases.models import Case, Deadline, Event
from asylon.evidence.models import Document
from asylon.evidence.tests.samples import png
from asylon.intake.models import IntakeMessage, IntakeSubmission, SubmissionStatus
from asylon.intake.tests.triage_helpers import in_days, png_upload, submitted
from asylon.people.models import Person
from tests.factories import OrganisationFactory, sign_in, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_of(client):
    def signed_in(user):
        return sign_in(client, user)

    return signed_in


def url(name, submission, *extra):
    return reverse(f"intake_triage:{name}", args=[submission.pk, *extra])


def test_queue_lists_urgent_first_with_counts(client_of, organisation, caseworker):
    plain = submitted(organisation, name="Plain Person")
    detained = submitted(organisation, name="Detained Person", situations=["detention"])
    response = client_of(caseworker).get(reverse("intake_triage:queue"))
    assert response.status_code == 200
    text = response.content.decode()
    assert text.index("Detained Person") < text.index("Plain Person")
    assert [row["submission"].pk for row in response.context["rows"]] == [detained.pk, plain.pk]
    assert response.context["counts"].untriaged == 2
    read = AuditEntry.objects.filter(action="read").last()
    assert read is not None and str(plain.pk) in str(read.details)


def test_navigation_shows_intake_with_the_count_to_triagers_only(client_of, organisation, caseworker):
    submitted(organisation)
    submitted(organisation)
    page = client_of(caseworker).get(reverse("home")).content.decode()
    assert reverse("intake_triage:queue") in page and "Intake (2 waiting)" in page


def test_navigation_hides_intake_from_analysts(client, organisation):
    submitted(organisation)
    page = sign_in(client, staff(organisation, Role.ANALYST)).get(reverse("home")).content.decode()
    assert reverse("intake_triage:queue") not in page


def test_detail_shows_the_payload_messages_and_files_and_is_audited(client_of, organisation, caseworker):
    submission = submitted(
        organisation, name="Olena Petrivna Shevchenko", deadline_on=in_days(20), files=[png_upload("summons.png")]
    )
    response = client_of(caseworker).get(url("detail", submission))
    text = response.content.decode()
    assert response.status_code == 200
    assert date_format(in_days(20), "DATE_FORMAT") in text
    assert "Olena Petrivna Shevchenko" in text and "Signal: +370 600 00001" in text
    assert "summons.png" in text
    read = AuditEntry.objects.filter(action="read").last()
    assert str(submission.pk) in str(read.details)


def test_reply_is_stored_as_a_staff_message(client_of, organisation, caseworker):
    submission = submitted(organisation)
    response = client_of(caseworker).post(url("reply", submission), {"body": "We will call you tomorrow."})
    assert response.status_code == 302 and response["Location"] == url("detail", submission)
    message = IntakeMessage.objects.get(submission=submission)
    assert message.direction == "from_staff" and message.body == "We will call you tomorrow."
    assert message.author == caseworker


def test_an_empty_reply_is_refused_in_the_form(client_of, organisation, caseworker):
    submission = submitted(organisation)
    response = client_of(caseworker).post(url("reply", submission), {"body": ""})
    assert response.status_code == 200 and response.context["form"].errors["body"]
    assert not IntakeMessage.objects.exists()


def test_discard_needs_a_reason(client_of, organisation, caseworker):
    submission = submitted(organisation)
    client = client_of(caseworker)
    response = client.post(url("discard", submission), {"reason": "   "})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.UNTRIAGED

    response = client.post(url("discard", submission), {"reason": "Spam."})
    assert response.status_code == 302 and response["Location"] == reverse("intake_triage:queue")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.DISCARDED and submission.discard_reason == "Spam."
    assert client.get(url("discard", submission)).status_code == 302  # nothing left to discard


def test_convert_form_is_prefilled_from_the_payload(client_of, organisation, caseworker):
    submission = submitted(
        organisation,
        name="Сяргей Іванавіч Ковалёў",
        contact="someone@example.org",
        situations=["summons_issued", "detention"],
        deadline_on=in_days(20),
    )
    response = client_of(caseworker).get(url("convert", submission))
    assert response.status_code == 200
    form = response.context["form"]
    assert (form.initial["given_name"], form.initial["patronymic"], form.initial["family_name"]) == (
        "Сяргей",
        "Іванавіч",
        "Ковалёў",
    )
    assert form.initial["contacts"] == [{"kind": "email", "value": "someone@example.org"}]
    assert form.initial["situations"] == ["summons_issued", "detention"]
    assert form.initial["stated_deadline_on"] == in_days(20)
    assert form.initial["risk"] == "critical"  # detention
    page = response.content.decode()
    assert 'value="Сяргей"' in page and "email: someone@example.org" in page


def test_convert_creates_everything_and_redirects_to_the_case(client_of, organisation, caseworker):
    submission = submitted(organisation, files=[png_upload()])
    (intake_file,) = submission.files.all()
    response = client_of(caseworker).post(
        url("convert", submission),
        {
            "given_name": "Aliaksandr",
            "family_name": "Kavalenka",
            "contacts": "signal: +370 600 00001",
            "risk": "high",
            "summary": "Summons",
            "situations": ["summons_issued"],
            "situations_year": "2024",
            "decision_type": "residence_permit_temporary",
            "decision_maker": "migration_department",
            "served_on": "2024-03-04",
            "keep_files": [str(intake_file.pk)],
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cases:case_detail", args=[case.pk])
    assert Person.objects.get().given_name == "Aliaksandr"
    assert Event.objects.filter(case=case).count() == 1
    assert Deadline.objects.get(case=case).due_on.isoformat() == "2024-03-18"
    assert Document.objects.filter(case=case).count() == 1
    assert IntakeSubmission.objects.get().status == SubmissionStatus.CONVERTED
    case_page = client_of(caseworker).get(response["Location"]).content.decode()
    assert "Aliaksandr" in case_page


def test_convert_errors_come_back_on_the_form_and_nothing_is_written(client_of, organisation, caseworker):
    submission = submitted(organisation)
    response = client_of(caseworker).post(
        url("convert", submission),
        {"given_name": "A", "risk": "high", "served_on": "2024-03-04", "situations_year": "2024"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["decision_type"]
    assert not Case.objects.exists()


def test_file_download_gives_the_file_and_audits_it(client_of, organisation, caseworker):
    submission = submitted(organisation, files=[png_upload("photo.png")])
    (intake_file,) = submission.files.all()
    response = client_of(caseworker).get(url("file", submission, intake_file.pk))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content[:8] == png()[:8]
    assert "attachment" in response["Content-Disposition"] and "photo.png" in response["Content-Disposition"]
    assert AuditEntry.objects.filter(action="intake.file_download", target_id=str(intake_file.pk)).exists()


@pytest.mark.parametrize("role", [Role.ANALYST, Role.VIEWER, Role.AUDITOR])
def test_roles_without_triage_are_refused_everywhere(client, organisation, role):
    submission = submitted(organisation, files=[png_upload()])
    (intake_file,) = submission.files.all()
    client = sign_in(client, staff(organisation, role))
    assert client.get(reverse("intake_triage:queue")).status_code == 403
    for name in ("detail", "reply", "discard", "convert"):
        assert client.get(url(name, submission)).status_code == 404
    assert client.get(url("file", submission, intake_file.pk)).status_code == 404
    assert client.post(url("discard", submission), {"reason": "x"}).status_code == 404
    assert client.post(url("reply", submission), {"body": "x"}).status_code == 404
    assert IntakeSubmission.objects.get().status == SubmissionStatus.UNTRIAGED
    assert not IntakeMessage.objects.exists()


def test_another_organisations_caseworker_is_refused(client, organisation):
    submission = submitted(organisation)
    client = sign_in(client, staff(OrganisationFactory(), Role.CASEWORKER))
    assert client.get(reverse("intake_triage:queue")).context["counts"].untriaged == 0
    assert client.get(url("detail", submission)).status_code == 404
    assert client.post(url("convert", submission), {"given_name": "X", "risk": "low"}).status_code == 404
    assert not Case.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, organisation):
    submission = submitted(organisation)
    response = client.get(url("detail", submission))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
