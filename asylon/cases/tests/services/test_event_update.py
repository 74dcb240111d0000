"""event_update: the type, perpetrator and sources an edit form changes, besides the fields it already took."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from asylon.audit.models import AuditEntry
from asylon.cases.models import Event
from asylon.cases.services.events import event_record, event_update
from asylon.evidence.models import Source


@pytest.fixture
def event(case, caseworker):
    return event_record(
        actor=caseworker, case=case, event_type="summons_issued", date_precision="year", year=2022, country="BY"
    )


def test_type_perpetrator_and_sources_change_and_are_audited(event, caseworker, organisation):
    source = Source.objects.create(organisation=organisation, title="Public register")
    event_update(
        actor=caseworker,
        event=event,
        event_type="criminal_case_opened",
        perpetrator="state_security_department",
        sources=[source],
    )

    stored = Event.objects.get(pk=event.pk)
    assert stored.event_type.code == "criminal_case_opened"
    assert stored.perpetrator is not None and stored.perpetrator.code == "state_security_department"
    assert list(stored.sources.all()) == [source]
    entry = AuditEntry.objects.get(action="event.update", target_id=str(event.pk))
    assert entry.changed_fields == ["event_type", "perpetrator", "sources"]


def test_an_empty_perpetrator_clears_it_and_no_sources_empties_them(event, caseworker, organisation):
    source = Source.objects.create(organisation=organisation, title="Public register")
    event_update(actor=caseworker, event=event, perpetrator="migration_department", sources=[source])
    event_update(actor=caseworker, event=event, perpetrator="", sources=[])

    stored = Event.objects.get(pk=event.pk)
    assert stored.perpetrator is None
    assert not stored.sources.exists()


@pytest.mark.parametrize(
    ("arguments", "field_in_error"),
    [({"event_type": "alien_abduction"}, "event_type"), ({"perpetrator": "oracle"}, "perpetrator")],
)
def test_an_unknown_code_changes_nothing(event, caseworker, arguments, field_in_error):
    with pytest.raises(ValidationError) as raised:
        event_update(actor=caseworker, event=event, **arguments)
    assert field_in_error in raised.value.message_dict
    stored = Event.objects.get(pk=event.pk)
    assert stored.event_type.code == "summons_issued" and stored.perpetrator is None
    assert not AuditEntry.objects.filter(action="event.update").exists()


def test_a_source_of_another_organisation_is_refused(event, caseworker, outsider):
    from asylon.accounts.models import Organisation

    foreign = Source.objects.create(organisation=Organisation.objects.get(memberships__user=outsider), title="Theirs")
    with pytest.raises(ValidationError) as raised:
        event_update(actor=caseworker, event=event, sources=[foreign])
    assert "sources" in raised.value.message_dict
    assert not Event.objects.get(pk=event.pk).sources.exists()


def test_an_outsider_cannot_change_the_type(event, outsider):
    with pytest.raises(PermissionDenied):
        event_update(actor=outsider, event=event, event_type="criminal_case_opened")
    assert Event.objects.get(pk=event.pk).event_type.code == "summons_issued"
