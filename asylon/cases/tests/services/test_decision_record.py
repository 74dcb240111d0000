import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from asylon.audit.models import AuditEntry
from asylon.cases.models import Deadline, DeadlineStatus, Decision
from asylon.cases.services.decisions import decision_record, decision_update


def record(case, actor, **overrides):
    arguments = {
        "decision_type": "residence_permit_temporary",
        "decision_maker": "migration_department",
        "outcome": "refuse",
        "grounds": ["national_security_threat_unspecified", "past_compulsory_military_service"],
        "decided_on": datetime.date(2024, 3, 1),
        "served_on": datetime.date(2024, 3, 4),
        **overrides,
    }
    return decision_record(actor=actor, case=case, **arguments)


def test_decision_computes_appeal_deadline_and_audits(case, caseworker):
    decision = record(case, caseworker)

    stored = Decision.objects.get(pk=decision.pk)
    assert stored.served_on == datetime.date(2024, 3, 4)
    assert (stored.served_year, stored.served_month) == (2024, 3)
    assert sorted(stored.grounds.values_list("code", flat=True)) == [
        "national_security_threat_unspecified",
        "past_compulsory_military_service",
    ]
    deadline = Deadline.objects.get(decision=decision, kind="appeal")
    assert deadline.due_on == datetime.date(2024, 3, 18)  # 14 days after service
    assert deadline.status == DeadlineStatus.OPEN
    entry = AuditEntry.objects.get(action="decision.create", target_id=str(decision.pk))
    assert entry.details["decision_type"] == "residence_permit_temporary"


def test_changing_the_served_date_recomputes_the_deadline(case, caseworker):
    decision = record(case, caseworker)
    decision_update(actor=caseworker, decision=decision, served_on=datetime.date(2024, 3, 8))

    assert Deadline.objects.get(decision=decision, kind="appeal").due_on == datetime.date(2024, 3, 22)
    assert (
        Deadline.objects.filter(decision=decision).count()
        == Deadline.objects.filter(decision=decision).values("legal_rule").distinct().count()
    )


@pytest.mark.parametrize(
    ("overrides", "field_in_error"),
    [
        ({"decision_type": "horoscope"}, "decision_type"),
        ({"decision_maker": "oracle"}, "decision_maker"),
        ({"outcome": "maybe"}, "outcome"),
        ({"grounds": ["bad_vibes"]}, "grounds"),
        ({"served_on": datetime.date(2024, 2, 1)}, "served_on"),
        ({"served_on": datetime.date(2999, 1, 1), "decided_on": None}, "served_on"),
    ],
)
def test_invalid_decision_writes_nothing(case, caseworker, overrides, field_in_error):
    with pytest.raises(ValidationError) as raised:
        record(case, caseworker, **overrides)
    assert field_in_error in raised.value.message_dict
    assert not Decision.objects.exists()
    assert not Deadline.objects.exists()
    assert not AuditEntry.objects.filter(action="decision.create").exists()


def test_outsider_cannot_record_decision(case, outsider):
    with pytest.raises(PermissionDenied):
        record(case, outsider)
    assert not Decision.objects.exists()


def test_rules_apply_only_to_the_decision_maker_they_govern(case, caseworker):
    first_instance = record(case, caseworker, decision_type="asylum", grounds=[])
    judgment = record(
        case, caseworker, decision_type="asylum", decision_maker="regional_admin_court", outcome="upheld", grounds=[]
    )

    first_rules = set(Deadline.objects.filter(decision=first_instance).values_list("legal_rule__code", flat=True))
    court_rules = set(Deadline.objects.filter(decision=judgment).values_list("legal_rule__code", flat=True))
    assert first_rules == {"lt_asylum_appeal"}
    assert court_rules == {"lt_asylum_appeal_tier2"}
