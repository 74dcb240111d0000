"""The case page: every section, clearance, privileged notes, honest date precision, bounded queries."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from asylon.accounts.models import Role
from asylon.cases.models import (
    CaseMembership,
    Deadline,
    Event,
    Hearing,
    Intervention,
    Note,
    Proceeding,
    ProceedingTier,
    StatusPeriod,
    Task,
)
from asylon.cases.services.decisions import decision_record
from asylon.cases.services.events import event_record
from asylon.common.models import DatePrecision
from asylon.evidence.models import Document, Source
from asylon.vocab import codes
from asylon.vocab.models import Term
from tests.factories import case_with_member, person_on_case, sign_in, staff

pytestmark = pytest.mark.django_db


def url(case):
    return reverse("cases:case_detail", args=[case.pk])


def any_term(vocabulary):
    return Term.objects.filter(vocabulary__code=vocabulary, organisation__isnull=True).first()


def add_event(case, actor, **fields):
    arguments = {"event_type": "summons_issued", "date_precision": DatePrecision.MONTH, "year": 2022, "month": 10}
    return event_record(actor=actor, case=case, **{**arguments, **fields})


def add_decision(case, actor, **fields):
    arguments = {
        "decision_type": "residence_permit_temporary",
        "decision_maker": "migration_department",
        "outcome": "refuse",
        "grounds": ["national_security_threat_unspecified"],
        "decided_on": datetime.date(2024, 3, 1),
        "served_on": datetime.date(2024, 3, 4),
    }
    return decision_record(actor=actor, case=case, **{**arguments, **fields})


def add_records(case, actor, *, number=1):
    """`number` of every kind of record on the case."""
    organisation = case.organisation
    person = person_on_case(case, given_name="Алесь", family_name="Тэставы")
    source = Source.objects.create(organisation=organisation, title="Law on Aliens", publisher="Seimas")
    for n in range(number):
        event = add_event(case, actor, country="BY", description=f"Summons {n}")
        event.sources.add(source)
        add_decision(case, actor, served_on=datetime.date(2024, 3, 4 + n), decided_on=datetime.date(2024, 3, 1))
        proceeding = Proceeding.objects.create(
            organisation=organisation,
            case=case,
            tier=ProceedingTier.APPEAL_TIER1,
            court=any_term(codes.DECISION_MAKER),
            lodged_on=datetime.date(2024, 3, 15),
            lodged_year=2024,
        )
        Hearing.objects.create(
            organisation=organisation,
            proceeding=proceeding,
            scheduled_for=timezone.now() + datetime.timedelta(days=30),
            notes=f"Hearing notes {n}",
        )
        Intervention.objects.create(
            organisation=organisation,
            case=case,
            intervention_type=any_term(codes.INTERVENTION_TYPE),
            carried_out_on=datetime.date(2024, 4, 1),
            performed_by=actor,
            addressee="Ministry",
            description=f"Letter {n}",
        )
        StatusPeriod.objects.create(
            organisation=organisation,
            case=case,
            person=person,
            kind="liberty",
            status="detained_administrative",
            started_on=datetime.date(2024, 5, 2),
            start_year=2024,
            start_month=5,
        )
        Task.objects.create(organisation=organisation, case=case, title=f"Call the client {n}", assignee=actor)
        Note.objects.create(organisation=organisation, case=case, author=actor, body=f"Ordinary note {n}")
        Note.objects.create(
            organisation=organisation, case=case, author=actor, body=f"Privileged advice {n}", privileged=True
        )
        Document.objects.create(
            organisation=organisation,
            case=case,
            filename=f"decision-{n}.pdf",
            sha256="ab" * 32,
            content_type="application/pdf",
            size=2048,
            blob_name=uuid.uuid4().hex,
            uploaded_by=actor,
        )
    return person


def test_every_section_for_a_lawyer(client, lawyer, caseworker, case):
    person = add_records(case, caseworker)
    sign_in(client, lawyer)
    response = client.get(url(case))
    body = response.content.decode()
    assert response.status_code == 200
    for text in (
        case.reference,
        "Алесь Тэставы",
        "October 2022",  # month precision: never "Oct. 1, 2022"
        "Summons 0",
        "Letter 0",
        "Hearing notes 0",
        "administrative detention",
        "(current)",
        "Call the client 0",
        "Ordinary note 0",
        "Privileged advice 0",
        "decision-0.pdf",
        "ab" * 32,
        "Law on Aliens",
        "overdue",  # the appeal deadline of March 2024 has passed, said in words
    ):
        assert text in body, text
    assert "Oct. 1, 2022" not in body
    assert reverse("people:person_detail", args=[person.pk]) in body


def test_the_timeline_is_in_chronological_order(client, caseworker, case):
    add_records(case, caseworker)
    sign_in(client, caseworker)
    timeline = client.get(url(case)).context["timeline"]
    assert [item.kind for item in timeline] == ["event", "decision", "proceeding", "intervention"]
    decision = timeline[1].record
    assert decision.deadlines and decision.deadlines[0].rule_name
    assert decision.grounds_labels


def test_a_caseworker_never_sees_a_privileged_note(client, caseworker, case):
    add_records(case, caseworker)
    sign_in(client, caseworker)
    response = client.get(url(case))
    body = response.content.decode()
    assert "Ordinary note 0" in body
    assert "Privileged advice" not in body
    assert all(not note.privileged for note in response.context["notes"])


def test_a_viewer_sees_no_name_narrative_or_note_body(client, organisation, caseworker, case):
    add_records(case, caseworker)
    viewer = staff(organisation, Role.VIEWER)
    CaseMembership.objects.create(organisation=organisation, case=case, user=viewer)
    sign_in(client, viewer)
    response = client.get(url(case))
    body = response.content.decode()
    assert response.status_code == 200
    for secret in ("Алесь", "Summons 0", "Ordinary note 0", "decision-0.pdf", "ab" * 32, "Synthetic test case"):
        assert secret not in body, secret
    assert "October 2022" in body  # the clear year and month are for everyone who may open the case


def test_analyst_outsider_and_non_member_get_404(client, analyst, outsider, organisation, case):
    stranger = staff(organisation)
    for user in (analyst, outsider, stranger):
        sign_in(client, user)
        assert client.get(url(case)).status_code == 404


def test_an_org_admin_opens_any_case_of_the_organisation(client, org_admin, case):
    sign_in(client, org_admin)
    assert client.get(url(case)).status_code == 200


def test_the_page_is_in_the_read_audit(client, caseworker, case):
    from asylon.audit.models import AuditEntry

    add_records(case, caseworker)
    sign_in(client, caseworker)
    client.get(url(case))
    details = AuditEntry.objects.filter(action="read").latest("created_at").details
    assert str(case.pk) in details["cases.case"]
    assert {"cases.event", "cases.decision", "cases.note", "evidence.document", "people.person"} <= set(details)
    assert len(details["cases.note"]) == 1  # the privileged note was not shown


def test_year_and_approximate_events(client, caseworker, case):
    add_event(case, caseworker, date_precision=DatePrecision.YEAR, year=2019, month=None)
    add_event(
        case, caseworker, date_precision=DatePrecision.APPROXIMATE, occurred_on=datetime.date(2020, 6, 17), year=None
    )
    sign_in(client, caseworker)
    body = client.get(url(case)).content.decode()
    assert "about June 17, 2020" in body
    assert ">2019<" in body


def test_the_query_count_does_not_grow_with_the_records(client, lawyer, case, django_assert_max_num_queries):
    sign_in(client, lawyer)
    add_records(case, lawyer, number=1)
    with django_assert_max_num_queries(60) as few:
        client.get(url(case))
    add_records(case, lawyer, number=12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url(case))
    assert len(response.context["timeline"]) == 4 * 13
    assert Event.objects.filter(case=case).count() == 13 and Deadline.objects.filter(case=case).count() >= 13


def test_another_case_of_the_organisation_is_not_mixed_in(client, caseworker, lawyer, organisation, case):
    other = case_with_member(organisation, caseworker)
    add_event(other, caseworker, description="Elsewhere")
    sign_in(client, caseworker)
    assert "Elsewhere" not in client.get(url(case)).content.decode()
