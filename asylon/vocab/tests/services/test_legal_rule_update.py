import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from asylon.audit.models import AuditEntry
from asylon.cases.models import Deadline
from asylon.cases.services.decisions import decision_record
from asylon.vocab.models import LegalRule
from asylon.vocab.services import legal_rule_update


@pytest.fixture
def own_rule(organisation):
    """The organisation's copy of the temporary-residence appeal rule (it overrides the instance rule)."""
    rule = LegalRule.objects.get(code="lt_residence_temporary_appeal", organisation=None)
    rule.pk = None
    rule.organisation = organisation
    rule.save()
    return rule


def test_changing_a_period_recomputes_deadlines_in_the_background(
    own_rule, case, caseworker, org_admin, django_capture_on_commit_callbacks
):
    decision = decision_record(
        actor=caseworker,
        case=case,
        decision_type="residence_permit_temporary",
        decision_maker="migration_department",
        served_on=datetime.date(2024, 3, 4),
    )
    assert Deadline.objects.get(decision=decision, legal_rule=own_rule).due_on == datetime.date(2024, 3, 18)

    with django_capture_on_commit_callbacks(execute=True):
        legal_rule_update(actor=org_admin, rule=own_rule, period_value=21, verification_status="verified")

    assert Deadline.objects.get(decision=decision, legal_rule=own_rule).due_on == datetime.date(2024, 3, 25)
    entry = AuditEntry.objects.get(action="legal_rule.update")
    assert entry.changed_fields == ["period_value", "verification_status"]


def test_invalid_change_writes_nothing(own_rule, org_admin):
    with pytest.raises(ValidationError) as raised:
        legal_rule_update(actor=org_admin, rule=own_rule, period_unit="fortnights")
    assert "period_unit" in raised.value.message_dict
    own_rule.refresh_from_db()
    assert own_rule.period_unit == "days"
    assert not AuditEntry.objects.filter(action="legal_rule.update").exists()


def test_only_org_admins_change_rules(own_rule, caseworker):
    with pytest.raises(PermissionDenied):
        legal_rule_update(actor=caseworker, rule=own_rule, period_value=30)


def test_instance_rules_are_not_edited_in_place(org_admin):
    rule = LegalRule.objects.get(code="lt_visa_appeal", organisation=None)
    with pytest.raises(ValidationError):
        legal_rule_update(actor=org_admin, rule=rule, period_value=30)
