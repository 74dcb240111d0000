import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from asylon.accounts.models import Role
from asylon.audit.models import AuditEntry
from asylon.cases.models import Intervention
from asylon.cases.services.interventions import intervention_record, intervention_update
from tests.factories import staff


def record(case, actor, **overrides):
    arguments = {
        "intervention_type": "letter_to_authority",
        "carried_out_on": datetime.date(2024, 4, 2),
        "performed_by": actor,
        "addressee": "Migration Department",
        "description": "Asked for the file to be reviewed",
        **overrides,
    }
    return intervention_record(actor=actor, case=case, **arguments)


def test_an_intervention_is_recorded_with_encrypted_text_and_audited(case, caseworker):
    intervention = record(case, caseworker)

    stored = Intervention.objects.get(pk=intervention.pk)
    assert stored.intervention_type.code == "letter_to_authority"
    assert (stored.carried_out_on, stored.performed_by) == (datetime.date(2024, 4, 2), caseworker)
    assert stored.description == "Asked for the file to be reviewed" and stored.response == ""
    entry = AuditEntry.objects.get(action="intervention.create", target_id=str(intervention.pk))
    assert entry.details == {"intervention_type": "letter_to_authority"}


def test_the_response_is_recorded_later(case, caseworker):
    intervention = record(case, caseworker)
    intervention_update(actor=caseworker, intervention=intervention, response="Review refused", addressee="")

    stored = Intervention.objects.get(pk=intervention.pk)
    assert (stored.response, stored.addressee) == ("Review refused", "")
    entry = AuditEntry.objects.get(action="intervention.update", target_id=str(intervention.pk))
    assert entry.changed_fields == ["addressee", "response"]
    assert "Review" not in str(entry.details)


@pytest.mark.parametrize(
    ("overrides", "field_in_error"),
    [
        ({"intervention_type": "prayer"}, "intervention_type"),
        ({"carried_out_on": None}, "carried_out_on"),
        ({"carried_out_on": datetime.date(2999, 1, 1)}, "carried_out_on"),
        ({"carried_out_on": datetime.date(1, 1, 1)}, "carried_out_on"),
        ({"addressee": "x" * 201}, "addressee"),
    ],
)
def test_an_invalid_intervention_writes_nothing(case, caseworker, overrides, field_in_error):
    with pytest.raises(ValidationError) as raised:
        record(case, caseworker, **overrides)
    assert field_in_error in raised.value.message_dict
    assert not Intervention.objects.exists()
    assert not AuditEntry.objects.filter(action="intervention.create").exists()


def test_it_is_performed_by_a_colleague_not_someone_of_another_organisation(case, caseworker, outsider):
    with pytest.raises(ValidationError) as raised:
        record(case, caseworker, performed_by=outsider)
    assert "performed_by" in raised.value.message_dict
    assert not Intervention.objects.exists()


def test_an_invalid_update_changes_nothing(case, caseworker):
    intervention = record(case, caseworker)
    with pytest.raises(ValidationError) as raised:
        intervention_update(actor=caseworker, intervention=intervention, case=None)
    assert "case" in raised.value.message_dict
    with pytest.raises(ValidationError):
        intervention_update(actor=caseworker, intervention=intervention, intervention_type="prayer")
    assert Intervention.objects.get(pk=intervention.pk).intervention_type.code == "letter_to_authority"
    assert not AuditEntry.objects.filter(action="intervention.update").exists()


def test_viewers_and_outsiders_are_refused(case, organisation, outsider, caseworker):
    viewer = staff(organisation, Role.VIEWER)
    case.memberships.create(organisation=organisation, user=viewer)
    for actor in (viewer, outsider):
        with pytest.raises(PermissionDenied):
            record(case, actor, performed_by=None)
    intervention = record(case, caseworker)
    with pytest.raises(PermissionDenied):
        intervention_update(actor=viewer, intervention=intervention, response="x")
    assert Intervention.objects.count() == 1
