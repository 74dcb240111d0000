import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from asylon.audit.models import AuditEntry
from asylon.cases.models import Hearing, Proceeding
from asylon.cases.services.decisions import decision_record
from asylon.cases.services.proceedings import hearing_schedule, proceeding_record, proceeding_update
from tests.factories import case_with_member


def decision_of(case, actor):
    return decision_record(
        actor=actor,
        case=case,
        decision_type="asylum",
        decision_maker="migration_department",
        outcome="refuse",
        served_on=datetime.date(2024, 3, 4),
    )


def record(case, actor, **overrides):
    arguments = {
        "tier": "appeal_tier1",
        "court": "regional_admin_court",
        "lodged_on": datetime.date(2024, 3, 15),
        "court_reference": "eI3-123/2024",
        **overrides,
    }
    return proceeding_record(actor=actor, case=case, **arguments)


def test_a_lawyer_records_an_appeal_against_a_decision_and_it_is_audited(case, lawyer):
    decision = decision_of(case, lawyer)
    proceeding = record(case, lawyer, decision=decision)

    stored = Proceeding.objects.get(pk=proceeding.pk)
    assert stored.decision == decision
    assert (stored.tier, stored.court.code) == ("appeal_tier1", "regional_admin_court")
    assert stored.lodged_on == datetime.date(2024, 3, 15) and stored.lodged_year == 2024
    assert stored.court_reference == "eI3-123/2024"
    entry = AuditEntry.objects.get(action="proceeding.create", target_id=str(proceeding.pk))
    assert entry.details == {"tier": "appeal_tier1", "court": "regional_admin_court", "outcome": ""}
    assert "eI3" not in str(entry.details)


def test_an_org_admin_may_record_a_proceeding(case, org_admin):
    assert record(case, org_admin).pk


def test_the_outcome_and_year_decided_are_recorded_later(case, lawyer):
    proceeding = record(case, lawyer)
    proceeding_update(actor=lawyer, proceeding=proceeding, outcome="annulled_remitted", decided_year=2024)

    stored = Proceeding.objects.get(pk=proceeding.pk)
    assert (stored.outcome.code, stored.decided_year) == ("annulled_remitted", 2024)
    entry = AuditEntry.objects.get(action="proceeding.update", target_id=str(proceeding.pk))
    assert entry.changed_fields == ["decided_year", "outcome"]
    assert entry.details == {"outcome": "annulled_remitted"}


@pytest.mark.parametrize(
    ("overrides", "field_in_error"),
    [
        ({"tier": "supreme_being"}, "tier"),
        ({"court": "oracle"}, "court"),
        ({"outcome": "maybe"}, "outcome"),
        ({"lodged_on": datetime.date(2999, 1, 1)}, "lodged_on"),
        ({"lodged_on": datetime.date(1, 1, 1)}, "lodged_on"),
        ({"decided_year": 1850}, "decided_year"),
        ({"decided_year": 2023}, "decided_year"),
        ({"court_reference": "x" * 101}, "court_reference"),
    ],
)
def test_an_invalid_proceeding_writes_nothing(case, lawyer, overrides, field_in_error):
    with pytest.raises(ValidationError) as raised:
        record(case, lawyer, **overrides)
    assert field_in_error in raised.value.message_dict
    assert not Proceeding.objects.exists()
    assert not AuditEntry.objects.filter(action="proceeding.create").exists()


def test_the_decision_challenged_must_belong_to_the_case(case, lawyer, organisation):
    other = case_with_member(organisation, lawyer)
    with pytest.raises(ValidationError) as raised:
        record(case, lawyer, decision=decision_of(other, lawyer))
    assert "decision" in raised.value.message_dict
    assert not Proceeding.objects.exists()


def test_an_invalid_update_changes_nothing(case, lawyer):
    proceeding = record(case, lawyer)
    with pytest.raises(ValidationError) as raised:
        proceeding_update(actor=lawyer, proceeding=proceeding, court="oracle")
    assert "court" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        proceeding_update(actor=lawyer, proceeding=proceeding, lodged_year=1999)
    assert "lodged_year" in raised.value.message_dict
    assert Proceeding.objects.get(pk=proceeding.pk).court.code == "regional_admin_court"
    assert not AuditEntry.objects.filter(action="proceeding.update").exists()


def test_a_caseworker_is_refused_a_proceeding(case, caseworker, lawyer):
    with pytest.raises(PermissionDenied):
        record(case, caseworker)
    proceeding = record(case, lawyer)
    with pytest.raises(PermissionDenied):
        proceeding_update(actor=caseworker, proceeding=proceeding, decided_year=2024)
    with pytest.raises(PermissionDenied):
        hearing_schedule(actor=caseworker, proceeding=proceeding, scheduled_for=timezone.now())
    assert Proceeding.objects.count() == 1 and not Hearing.objects.exists()


def test_a_lawyer_outside_the_case_or_the_organisation_is_refused(case, organisation, outsider):
    from asylon.accounts.models import Role
    from tests.factories import staff

    for actor in (staff(organisation, Role.LAWYER), outsider):
        with pytest.raises(PermissionDenied):
            record(case, actor)
    assert not Proceeding.objects.exists()


def test_a_hearing_is_scheduled_with_encrypted_notes_and_audited(case, lawyer):
    proceeding = record(case, lawyer)
    when = timezone.make_aware(datetime.datetime(2024, 5, 6, 10, 30))
    hearing = hearing_schedule(actor=lawyer, proceeding=proceeding, scheduled_for=when, notes="Interpreter booked")

    stored = Hearing.objects.get(pk=hearing.pk)
    assert (stored.scheduled_for, stored.notes) == (when, "Interpreter booked")
    entry = AuditEntry.objects.get(action="hearing.create", target_id=str(hearing.pk))
    assert entry.details == {"tier": "appeal_tier1"}


def test_a_hearing_before_the_lodging_writes_nothing(case, lawyer):
    proceeding = record(case, lawyer)
    with pytest.raises(ValidationError) as raised:
        hearing_schedule(
            actor=lawyer, proceeding=proceeding, scheduled_for=timezone.make_aware(datetime.datetime(2024, 1, 1, 9))
        )
    assert "scheduled_for" in raised.value.message_dict
    assert not Hearing.objects.exists()
    assert not AuditEntry.objects.filter(action="hearing.create").exists()
