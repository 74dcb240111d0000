import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from asylon.audit.models import AuditEntry
from asylon.cases.models import StatusPeriod
from asylon.cases.services.statuses import status_period_record, status_period_update
from tests.factories import case_with_member, person_on_case


def record(case, actor, person, **overrides):
    arguments = {
        "kind": "residence",
        "status": "temp_resident",
        "started_on": datetime.date(2022, 9, 14),
        "ended_on": None,
        **overrides,
    }
    return status_period_record(actor=actor, case=case, person=person, **arguments)


def test_a_status_keeps_exact_dates_encrypted_and_coarse_values_clear(case, caseworker):
    person = person_on_case(case)
    period = record(case, caseworker, person, ended_on=datetime.date(2023, 9, 13), current=False)

    stored = StatusPeriod.objects.get(pk=period.pk)
    assert (stored.started_on, stored.ended_on) == (datetime.date(2022, 9, 14), datetime.date(2023, 9, 13))
    assert (stored.start_year, stored.start_month, stored.duration_days) == (2022, 9, 364)
    assert not stored.current
    entry = AuditEntry.objects.get(action="status_period.create", target_id=str(period.pk))
    assert entry.details == {"kind": "residence", "status": "temp_resident", "current": False, "ended": []}


def test_a_new_current_status_ends_the_previous_current_one_of_its_kind(case, caseworker):
    person = person_on_case(case)
    first = record(case, caseworker, person)
    liberty = record(case, caseworker, person, kind="liberty", status="free")
    second = record(case, caseworker, person, status="irregular", started_on=datetime.date(2024, 2, 1))

    first.refresh_from_db()
    assert not first.current
    assert first.ended_on == datetime.date(2024, 2, 1) and first.duration_days == 505
    assert StatusPeriod.objects.get(pk=second.pk).current
    assert StatusPeriod.objects.get(pk=liberty.pk).current  # another kind is left alone
    ended = AuditEntry.objects.get(action="status_period.end", target_id=str(first.pk))
    assert ended.changed_fields == ["current", "duration_days", "ended_on"]
    created = AuditEntry.objects.get(action="status_period.create", target_id=str(second.pk))
    assert created.details["ended"] == [str(first.pk)]


def test_another_persons_status_is_left_alone(case, caseworker):
    first_person, second_person = person_on_case(case), person_on_case(case)
    first = record(case, caseworker, first_person)
    record(case, caseworker, second_person, started_on=datetime.date(2024, 1, 1))
    assert StatusPeriod.objects.get(pk=first.pk).current


@pytest.mark.parametrize(
    ("overrides", "field_in_error"),
    [
        ({"kind": "mood"}, "kind"),
        ({"status": "free"}, "status"),  # a liberty status is not a residence status
        ({"status": "nonsense"}, "status"),
        ({"started_on": None}, "started_on"),
        ({"started_on": datetime.date(1, 1, 1)}, "started_on"),
        ({"ended_on": datetime.date(9999, 12, 31)}, "ended_on"),
        ({"ended_on": datetime.date(2020, 1, 1)}, "ended_on"),
        ({"ended_on": datetime.date(2023, 1, 1), "current": True}, "current"),
    ],
)
def test_an_invalid_status_writes_nothing(case, caseworker, overrides, field_in_error):
    person = person_on_case(case)
    with pytest.raises(ValidationError) as raised:
        record(case, caseworker, person, **overrides)
    assert field_in_error in raised.value.message_dict
    assert not StatusPeriod.objects.exists()
    assert not AuditEntry.objects.filter(action="status_period.create").exists()


def test_the_person_must_be_a_party_to_the_case(case, caseworker, organisation):
    stranger = person_on_case(case_with_member(organisation, caseworker))
    with pytest.raises(ValidationError) as raised:
        record(case, caseworker, stranger)
    assert "person" in raised.value.message_dict
    assert not StatusPeriod.objects.exists()


def test_an_older_status_recorded_as_current_is_refused_and_nothing_changes(case, caseworker):
    person = person_on_case(case)
    latest = record(case, caseworker, person, started_on=datetime.date(2024, 1, 1))
    with pytest.raises(ValidationError) as raised:
        record(case, caseworker, person, status="visa_holder", started_on=datetime.date(2021, 1, 1))
    assert "current" in raised.value.message_dict
    assert StatusPeriod.objects.get(pk=latest.pk).current
    assert StatusPeriod.objects.count() == 1


def test_an_update_recomputes_the_clear_copies_and_is_audited(case, caseworker):
    person = person_on_case(case)
    period = record(case, caseworker, person)
    status_period_update(
        actor=caseworker,
        status_period=period,
        started_on=datetime.date(2022, 10, 1),
        ended_on=datetime.date(2022, 10, 11),
        current=False,
    )

    stored = StatusPeriod.objects.get(pk=period.pk)
    assert (stored.start_year, stored.start_month, stored.duration_days, stored.current) == (2022, 10, 10, False)
    entry = AuditEntry.objects.get(action="status_period.update", target_id=str(period.pk))
    assert entry.changed_fields == ["current", "ended_on", "started_on"]


def test_an_update_making_a_status_current_ends_the_other(case, caseworker):
    person = person_on_case(case)
    later = record(case, caseworker, person, started_on=datetime.date(2020, 1, 1), current=False)
    earlier = record(case, caseworker, person, status="visa_holder", started_on=datetime.date(2019, 1, 1))
    status_period_update(actor=caseworker, status_period=later, current=True)

    earlier.refresh_from_db()
    assert (earlier.current, earlier.ended_on) == (False, datetime.date(2020, 1, 1))
    assert StatusPeriod.objects.get(pk=later.pk).current


def test_an_invalid_update_changes_nothing(case, caseworker):
    person = person_on_case(case)
    period = record(case, caseworker, person)
    with pytest.raises(ValidationError) as raised:
        status_period_update(actor=caseworker, status_period=period, status="deported")
    assert "status" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        status_period_update(actor=caseworker, status_period=period, start_year=1999)
    assert "start_year" in raised.value.message_dict
    assert StatusPeriod.objects.get(pk=period.pk).status == "temp_resident"
    assert not AuditEntry.objects.filter(action="status_period.update").exists()


def test_an_analyst_and_an_outsider_are_refused(case, analyst, outsider):
    person = person_on_case(case)
    for actor in (analyst, outsider):
        with pytest.raises(PermissionDenied):
            record(case, actor, person)
    assert not StatusPeriod.objects.exists()
