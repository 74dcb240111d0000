import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from asylon.audit.models import AuditEntry
from asylon.cases.models import Event
from asylon.cases.services.events import event_record, event_update
from asylon.common.models import DatePrecision
from tests.factories import person_on_case


def test_day_precision_keeps_exact_date_encrypted_and_year_month_clear(case, caseworker):
    person = person_on_case(case)
    event = event_record(
        actor=caseworker,
        case=case,
        person=person,
        event_type="declared_national_security_threat",
        date_precision=DatePrecision.DAY,
        occurred_on=datetime.date(2023, 8, 17),
        country="LT",
        perpetrator="state_security_department",
        description="Conclusion without specific accusations",
    )

    stored = Event.objects.get(pk=event.pk)
    assert (stored.year, stored.month, stored.occurred_on) == (2023, 8, datetime.date(2023, 8, 17))
    assert stored.event_type.code == "declared_national_security_threat"
    assert stored.description == "Conclusion without specific accusations"
    assert AuditEntry.objects.filter(action="event.create", target_id=str(event.pk)).exists()


def test_month_precision_stores_no_day(case, caseworker):
    event = event_record(
        actor=caseworker,
        case=case,
        event_type="summons_issued",
        date_precision=DatePrecision.MONTH,
        year=2022,
        month=9,
        country="BY",
    )
    stored = Event.objects.get(pk=event.pk)
    assert stored.occurred_on is None
    assert (stored.year, stored.month) == (2022, 9)


@pytest.mark.parametrize(
    ("arguments", "field_in_error"),
    [
        ({"event_type": "alien_abduction", "date_precision": "year", "year": 2022}, "event_type"),
        ({"event_type": "summons_issued", "date_precision": "day"}, "occurred_on"),
        ({"event_type": "summons_issued", "date_precision": "month", "year": 2022}, "month"),
        ({"event_type": "summons_issued", "date_precision": "month", "year": 2022, "month": 13}, "month"),
        ({"event_type": "summons_issued", "date_precision": "year", "year": 1492}, "year"),
        ({"event_type": "summons_issued", "date_precision": "weekly", "year": 2022}, "date_precision"),
        ({"event_type": "summons_issued", "date_precision": "year", "year": 2022, "country": "Belarus"}, "country"),
        (
            {"event_type": "summons_issued", "date_precision": "day", "occurred_on": datetime.date(2999, 1, 1)},
            "occurred_on",
        ),
    ],
)
def test_invalid_event_names_the_field_and_writes_nothing(case, caseworker, arguments, field_in_error):
    with pytest.raises(ValidationError) as raised:
        event_record(actor=caseworker, case=case, **arguments)
    assert field_in_error in raised.value.message_dict
    assert not Event.objects.exists()
    assert not AuditEntry.objects.filter(action="event.create").exists()


def test_person_must_be_party_to_the_case(case, caseworker, organisation):
    from tests.factories import case_with_member

    stranger = person_on_case(case_with_member(organisation))
    with pytest.raises(ValidationError) as raised:
        event_record(
            actor=caseworker, case=case, person=stranger, event_type="arrest", date_precision="year", year=2021
        )
    assert "person" in raised.value.message_dict


def test_outsider_cannot_record(case, outsider):
    with pytest.raises(PermissionDenied):
        event_record(actor=outsider, case=case, event_type="arrest", date_precision="year", year=2021)


def test_update_changes_precision(case, caseworker):
    event = event_record(actor=caseworker, case=case, event_type="arrest", date_precision="year", year=2021)
    event_update(
        actor=caseworker,
        event=event,
        date_precision="day",
        occurred_on=datetime.date(2021, 5, 4),
        description="Detained at the border",
    )
    stored = Event.objects.get(pk=event.pk)
    assert (stored.date_precision, stored.occurred_on, stored.month) == ("day", datetime.date(2021, 5, 4), 5)
    entry = AuditEntry.objects.get(action="event.update")
    assert "description" in entry.changed_fields and "occurred_on" in entry.changed_fields
