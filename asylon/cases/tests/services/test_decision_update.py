"""decision_update: type, maker, number and event, which the edit form changes; deadlines follow the type."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from asylon.audit.models import AuditEntry
from asylon.cases.models import Deadline, DeadlineStatus, Decision
from asylon.cases.services.decisions import decision_record, decision_update
from asylon.cases.services.events import event_record
from tests.factories import case_with_member


@pytest.fixture
def decision(case, caseworker):
    return decision_record(
        actor=caseworker,
        case=case,
        decision_type="residence_permit_temporary",
        decision_maker="migration_department",
        served_on=datetime.date(2024, 3, 4),
    )


def test_number_and_event_change_and_are_audited(decision, case, caseworker):
    event = event_record(
        actor=caseworker, case=case, event_type="temp_residence_refused", date_precision="year", year=2024
    )
    decision_update(actor=caseworker, decision=decision, reference_number="No. 12/3-45", event=event)

    stored = Decision.objects.get(pk=decision.pk)
    assert stored.reference_number == "No. 12/3-45"
    assert stored.event == event
    entry = AuditEntry.objects.get(action="decision.update", target_id=str(decision.pk))
    assert entry.changed_fields == ["event", "reference_number"]

    decision_update(actor=caseworker, decision=decision, event=None)
    assert Decision.objects.get(pk=decision.pk).event is None


def test_leaving_the_event_out_keeps_it(decision, case, caseworker):
    event = event_record(
        actor=caseworker, case=case, event_type="temp_residence_refused", date_precision="year", year=2024
    )
    decision_update(actor=caseworker, decision=decision, event=event)
    decision_update(actor=caseworker, decision=decision, outcome="refuse")
    assert Decision.objects.get(pk=decision.pk).event == event


def test_a_type_without_a_rule_cancels_the_computed_deadline(decision, caseworker):
    assert Deadline.objects.get(decision=decision).status == DeadlineStatus.OPEN
    decision_update(
        actor=caseworker,
        decision=decision,
        decision_type="national_security_conclusion",
        decision_maker="state_security_department",
    )

    stored = Decision.objects.get(pk=decision.pk)
    assert stored.decision_type.code == "national_security_conclusion"
    statuses = set(Deadline.objects.filter(decision=decision).values_list("legal_rule__decision_type__code", "status"))
    assert ("residence_permit_temporary", DeadlineStatus.CANCELLED) in statuses


@pytest.mark.parametrize(
    ("arguments", "field_in_error"),
    [({"decision_type": "horoscope"}, "decision_type"), ({"decision_maker": "oracle"}, "decision_maker")],
)
def test_an_unknown_code_changes_nothing(decision, caseworker, arguments, field_in_error):
    with pytest.raises(ValidationError) as raised:
        decision_update(actor=caseworker, decision=decision, **arguments)
    assert field_in_error in raised.value.message_dict
    assert Decision.objects.get(pk=decision.pk).decision_type.code == "residence_permit_temporary"
    assert not AuditEntry.objects.filter(action="decision.update").exists()


def test_an_event_of_another_case_is_refused(decision, organisation, caseworker):
    other_case = case_with_member(organisation, caseworker)
    foreign_event = event_record(
        actor=caseworker, case=other_case, event_type="summons_issued", date_precision="year", year=2022
    )
    with pytest.raises(ValidationError) as raised:
        decision_update(actor=caseworker, decision=decision, event=foreign_event)
    assert "event" in raised.value.message_dict
    assert Decision.objects.get(pk=decision.pk).event is None


def test_an_outsider_cannot_change_the_type(decision, outsider):
    with pytest.raises(PermissionDenied):
        decision_update(actor=outsider, decision=decision, decision_type="visa")
