"""consent_withdraw: the withdrawal is recorded and audited, and the processing each purpose covered stops
(publication, statistics, alert, sharing, casework), until consent is given again (docs/gdpr.md, "Consent")."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from asylon.audit.models import AuditEntry
from asylon.cases.models import Event
from asylon.cases.services.events import event_record, event_update
from asylon.evidence.models import Document
from asylon.ops.selectors_exports import ExportScope, export_cases
from asylon.ops.services.exports import export_create
from asylon.people.models import ConsentPurpose, ConsentRecord
from asylon.people.selectors_consent import consent_withdrawn, persons_withdrawn
from asylon.people.services import consent_record, military_service_add, person_update, relationship_add
from asylon.people.services_consent import consent_withdraw
from asylon.reports.statistics.aggregates import count_table
from asylon.reports.statistics.questions import Question
from tests.factories import case_with_member, event_on, person_on_case

THREAT = "declared_national_security_threat"
GIVEN = datetime.date(2024, 3, 1)
WITHDRAWN = datetime.date(2024, 6, 1)


@pytest.fixture
def person(case):
    return person_on_case(case, citizenship="BY")


def given(person, actor, purpose):
    return consent_record(actor=actor, person=person, purpose=purpose, given_on=GIVEN)


def withdraw(consent, actor, on=WITHDRAWN):
    return consent_withdraw(actor=actor, consent=consent, withdrawn_on=on)


def document_of(case, person, event=None, **fields):
    return Document.objects.create(
        organisation=case.organisation,
        case=case,
        person=person,
        event=event,
        filename="f.pdf",
        description="",
        received_sha256="0" * 64,
        sha256="0" * 64,
        content_type="application/pdf",
        size=1,
        blob_name=f"blob-{Document.objects.count()}",
        **fields,
    )


@pytest.mark.django_db
def test_withdrawal_is_recorded_and_audited_with_what_it_stopped(person, case, caseworker):
    consent = given(person, caseworker, ConsentPurpose.PUBLICATION)
    event = event_on(case, person, THREAT, 2024, 5, consent_to_publish=True)
    document_of(case, person, consent_to_publish=True)
    document_of(case, None, event=event, consent_to_publish=True)

    withdraw(consent, caseworker)

    consent.refresh_from_db()
    assert consent.withdrawn_on == WITHDRAWN
    entry = AuditEntry.objects.get(action="consent.withdraw", target_id=str(consent.pk))
    assert entry.actor_id == caseworker.pk
    assert entry.details == {
        "purpose": "publication",
        "person_id": str(person.pk),
        "stopped": {"events_unpublishable": 1, "documents_unpublishable": 2},
    }
    assert not Event.objects.filter(consent_to_publish=True).exists()
    assert not Document.objects.filter(consent_to_publish=True).exists()
    assert consent_withdrawn(person=person, purpose=ConsentPurpose.PUBLICATION)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("on", "message"),
    [
        (datetime.date(2024, 2, 1), "before it was given"),
        (datetime.date.today() + datetime.timedelta(days=2), "in the future"),
    ],
)
def test_a_bad_date_changes_nothing(person, case, caseworker, on, message):
    consent = given(person, caseworker, ConsentPurpose.PUBLICATION)
    event_on(case, person, THREAT, 2024, 5, consent_to_publish=True)
    with pytest.raises(ValidationError) as raised:
        withdraw(consent, caseworker, on=on)
    assert message in str(raised.value.message_dict["withdrawn_on"])
    consent.refresh_from_db()
    assert consent.withdrawn_on is None
    assert Event.objects.get().consent_to_publish
    assert not AuditEntry.objects.filter(action="consent.withdraw").exists()


@pytest.mark.django_db
def test_withdrawing_twice_is_refused(person, caseworker):
    consent = withdraw(given(person, caseworker, ConsentPurpose.ALERT), caseworker)
    with pytest.raises(ValidationError) as raised:
        withdraw(consent, caseworker, on=datetime.date(2024, 7, 1))
    assert "already withdrawn" in str(raised.value)
    assert AuditEntry.objects.filter(action="consent.withdraw").count() == 1


@pytest.mark.django_db
def test_someone_without_access_to_the_person_may_not_withdraw(person, caseworker, organisation, outsider):
    from tests.factories import staff

    consent = given(person, caseworker, ConsentPurpose.STATISTICS)
    not_a_member = staff(organisation)
    for actor in (outsider, not_a_member):
        with pytest.raises(PermissionDenied):
            withdraw(consent, actor)
    assert ConsentRecord.objects.get().withdrawn_on is None


@pytest.mark.django_db
def test_publication_withdrawn_flags_cannot_be_set_again_until_consent_is_given_again(person, case, caseworker):
    withdraw(given(person, caseworker, ConsentPurpose.PUBLICATION), caseworker)
    with pytest.raises(ValidationError) as raised:
        event_record(
            actor=caseworker,
            case=case,
            event_type=THREAT,
            date_precision="year",
            year=2024,
            person=person,
            consent_to_publish=True,
        )
    assert "consent_to_publish" in raised.value.message_dict
    event = event_record(
        actor=caseworker, case=case, event_type=THREAT, date_precision="year", year=2024, person=person
    )
    with pytest.raises(ValidationError):
        event_update(actor=caseworker, event=event, consent_to_publish=True)

    given(person, caseworker, ConsentPurpose.PUBLICATION)
    event_update(actor=caseworker, event=event, consent_to_publish=True)
    assert Event.objects.get(pk=event.pk).consent_to_publish


@pytest.mark.django_db
def test_alert_withdrawn_events_are_no_longer_alert_safe(person, case, caseworker):
    event = event_on(case, person, THREAT, 2024, 5, alert_safe=True)
    other = event_on(case, person_on_case(case), THREAT, 2024, 5, alert_safe=True)
    consent = withdraw(given(person, caseworker, ConsentPurpose.ALERT), caseworker)
    assert AuditEntry.objects.get(action="consent.withdraw", target_id=str(consent.pk)).details["stopped"] == {
        "events_not_alert_safe": 1
    }
    assert not Event.objects.get(pk=event.pk).alert_safe
    assert Event.objects.get(pk=other.pk).alert_safe
    with pytest.raises(ValidationError) as raised:
        event_update(actor=caseworker, event=event, alert_safe=True)
    assert "alert_safe" in raised.value.message_dict


def threats(organisation):
    return count_table(organisation=organisation, question=Question.build("event", of=[THREAT], by=["citizenship"]))


@pytest.mark.django_db
@pytest.mark.parametrize("purpose", [ConsentPurpose.STATISTICS, ConsentPurpose.PUBLICATION])
def test_statistics_or_publication_withdrawn_leaves_the_person_out_of_every_count(
    person, case, caseworker, organisation, purpose
):
    event_on(case, person, THREAT, 2024, 5)
    others = [person_on_case(case_with_member(organisation, caseworker), citizenship="BY") for _ in range(3)]
    for other in others:
        event_on(other.case_parties.get().case, other, THREAT, 2024, 5)
    unnamed = event_on(case, None, THREAT, 2024, 5)
    assert threats(organisation).total == 4

    consent = given(person, caseworker, purpose)
    given(others[0], caseworker, ConsentPurpose.CASEWORK)  # another purpose's withdrawal changes nothing
    withdraw(ConsentRecord.objects.get(person=others[0]), caseworker)
    assert threats(organisation).total == 4
    withdraw(consent, caseworker)

    table = threats(organisation)
    assert table.total == 3
    assert table.cells == {("BY",): 3}
    assert unnamed.person_id is None

    given(person, caseworker, purpose)
    assert threats(organisation).total == 4


@pytest.mark.django_db
def test_sharing_withdrawn_the_persons_cases_are_not_exported(person, case, caseworker, org_admin, organisation):
    other_case = case_with_member(organisation, caseworker)
    person_on_case(other_case)
    scope = ExportScope(organisation=organisation)
    assert set(export_cases(user=org_admin, scope=scope)) == {case, other_case}

    withdraw(given(person, caseworker, ConsentPurpose.SHARING), caseworker)

    assert set(export_cases(user=org_admin, scope=scope)) == {other_case}
    assert list(persons_withdrawn(purpose="sharing", organisation=organisation)) == [{"person_id": person.pk}]
    with pytest.raises(ValidationError) as raised:
        export_create(
            actor=org_admin, organisation=organisation, export_format="json", case=case.pk, passphrase="x" * 30
        )
    assert "withdrew consent to sharing" in str(raised.value.message_dict["case"])


@pytest.mark.django_db
def test_casework_withdrawn_restricts_the_record_until_consent_is_given_again(person, case, caseworker, lawyer):
    withdraw(given(person, caseworker, ConsentPurpose.CASEWORK), caseworker)
    refusals = [
        lambda: person_update(actor=caseworker, person=person, region="Vilnius"),
        lambda: military_service_add(actor=lawyer, person=person, service_type="conscript", start_year=2012),
        lambda: relationship_add(actor=caseworker, person=person, kind="parent", description="x"),
        lambda: event_record(
            actor=caseworker, case=case, event_type=THREAT, date_precision="year", year=2024, person=person
        ),
    ]
    for write in refusals:
        with pytest.raises(ValidationError) as raised:
            write()
        assert "restricted" in str(raised.value)
    assert not AuditEntry.objects.filter(action__in=["person.update", "event.create"]).exists()

    given(person, caseworker, ConsentPurpose.CASEWORK)
    person_update(actor=caseworker, person=person, region="Vilnius")
    assert AuditEntry.objects.filter(action="person.update", target_id=str(person.pk)).exists()
