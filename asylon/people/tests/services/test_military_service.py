import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from asylon.audit.models import AuditEntry
from asylon.people.models import MilitaryServicePeriod
from asylon.people.services import military_service_add, military_service_update, person_create


@pytest.fixture
def person(case, caseworker):
    return person_create(actor=caseworker, case=case, given_name="Павел")


def test_lawyer_records_service_with_unit_and_audit(person, lawyer):
    period = military_service_add(
        actor=lawyer, person=person, service_type="conscript", start_year=2012, end_year=2013, unit="В/ч 5448"
    )

    stored = MilitaryServicePeriod.objects.get(pk=period.pk)
    assert (stored.service_type, stored.start_year, stored.end_year, stored.unit) == (
        "conscript",
        2012,
        2013,
        "В/ч 5448",
    )
    entry = AuditEntry.objects.get(action="service_period.create", target_id=str(period.pk))
    assert entry.changed_fields == ["end_year", "service_type", "start_year", "unit"]
    assert "5448" not in str(entry.details)


def test_update_writes_only_the_fields_given(person, lawyer, caseworker):
    period = military_service_add(actor=lawyer, person=person, service_type="contract", unit="Unit 1", rank="Sergeant")

    military_service_update(actor=caseworker, period=period, end_year=2020)

    stored = MilitaryServicePeriod.objects.get(pk=period.pk)
    assert (stored.end_year, stored.unit, stored.rank) == (2020, "Unit 1", "Sergeant")
    assert AuditEntry.objects.get(action="service_period.update").changed_fields == ["end_year"]


@pytest.mark.parametrize(
    ("fields", "field_in_error"),
    [
        ({"service_type": "pirate"}, "service_type"),
        ({"start_year": 1850}, "start_year"),
        ({"start_year": 2015, "end_year": 2010}, "end_year"),
        ({"colour": "green"}, "colour"),
    ],
)
def test_invalid_period_names_the_field_and_writes_nothing(person, caseworker, fields, field_in_error):
    with pytest.raises(ValidationError) as raised:
        military_service_add(actor=caseworker, person=person, **{"service_type": "conscript", **fields})

    assert field_in_error in raised.value.message_dict
    assert not MilitaryServicePeriod.objects.exists()
    assert not AuditEntry.objects.filter(action="service_period.create").exists()


def test_caseworker_may_not_write_the_restricted_unit(person, caseworker):
    with pytest.raises(PermissionDenied):
        military_service_add(actor=caseworker, person=person, service_type="conscript", unit="В/ч 1")
    assert not MilitaryServicePeriod.objects.exists()


def test_outsider_and_analyst_are_refused(person, outsider, analyst):
    for actor in (outsider, analyst):
        with pytest.raises(PermissionDenied):
            military_service_add(actor=actor, person=person, service_type="conscript")
    assert not MilitaryServicePeriod.objects.exists()
