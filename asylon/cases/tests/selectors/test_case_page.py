"""The case page's selectors: timeline order and precision, status groups, deadlines, redaction by clearance."""

from __future__ import annotations

import datetime

import pytest

from asylon.accounts.models import Role
from asylon.cases.models import CaseMembership, Deadline, StatusPeriod
from asylon.cases.selectors_case_page import (
    case_overview,
    open_deadlines_display,
    parties_display,
    status_groups_display,
    timeline_display,
)
from asylon.cases.services.events import event_record
from asylon.common.models import DatePrecision
from tests.factories import person_on_case, staff

pytestmark = pytest.mark.django_db


def test_timeline_orders_mixed_precisions_and_keeps_them(case, caseworker):
    event_record(actor=caseworker, case=case, event_type="summons_issued", date_precision="month", year=2022, month=10)
    event_record(
        actor=caseworker,
        case=case,
        event_type="summons_issued",
        date_precision="day",
        occurred_on=datetime.date(2021, 5, 3),
    )
    event_record(actor=caseworker, case=case, event_type="summons_issued", date_precision="year", year=2020)
    items = timeline_display(user=caseworker, case=case)
    assert [(item.when.year, item.precision) for item in items] == [
        (2020, DatePrecision.YEAR),
        (2021, DatePrecision.DAY),
        (2022, DatePrecision.MONTH),
    ]


def test_a_viewer_gets_clear_year_and_month_but_not_the_exact_date(organisation, case, caseworker):
    event_record(
        actor=caseworker,
        case=case,
        event_type="summons_issued",
        date_precision="day",
        occurred_on=datetime.date(2021, 5, 3),
        description="Secret",
    )
    viewer = staff(organisation, Role.VIEWER)
    CaseMembership.objects.create(organisation=organisation, case=case, user=viewer)
    [item] = timeline_display(user=viewer, case=case)
    assert (item.when, item.precision) == (datetime.date(2021, 5, 1), DatePrecision.MONTH)
    assert not item.record.description and not item.record.occurred_on
    assert item.record.type_label


def test_status_groups_by_kind_with_the_current_one(case, caseworker):
    person = person_on_case(case)
    for status, year, current in (("free", 2023, False), ("detained_administrative", 2024, True)):
        StatusPeriod.objects.create(
            organisation=case.organisation,
            case=case,
            person=person,
            kind="liberty",
            status=status,
            started_on=datetime.date(year, 2, 1),
            start_year=year,
            start_month=2,
            current=current,
        )
    [group] = status_groups_display(user=caseworker, case=case)
    assert group.kind == "liberty"
    assert [(p.status_label, p.current) for p in group.periods] == [
        ("free", False),
        ("administrative detention", True),
    ]


def test_open_deadlines_say_overdue(case, caseworker):
    Deadline.objects.create(organisation=case.organisation, case=case, kind="appeal", due_on=datetime.date(2020, 1, 1))
    [deadline] = open_deadlines_display(user=caseworker, case=case)
    assert deadline.overdue is True and deadline.status_label == "open"


def test_overview_and_parties_within_clearance(organisation, case, caseworker):
    person_on_case(case, given_name="Алесь")
    viewer = staff(organisation, Role.VIEWER)
    CaseMembership.objects.create(organisation=organisation, case=case, user=viewer)
    assert case_overview(user=caseworker, case=case).summary == "Synthetic test case"
    overview = case_overview(user=viewer, case=case)
    assert not overview.summary and overview.reference == case.reference and overview.status_label
    [party] = parties_display(user=viewer, case=case)
    assert not party.person.given_name and party.person.id


def test_a_case_not_checked_for_this_user_is_checked_again(organisation, case, caseworker, lawyer):
    from asylon.cases.models import Case, Note
    from asylon.cases.selectors import case_page_get
    from asylon.cases.selectors_case_page import notes_display

    Note.objects.create(organisation=organisation, case=case, body="plain")
    stranger = staff(organisation)
    checked_for_caseworker = case_page_get(user=caseworker, case_id=case.pk)
    assert notes_display(user=caseworker, case=checked_for_caseworker)
    assert timeline_display(user=stranger, case=checked_for_caseworker) == []
    assert list(notes_display(user=stranger, case=Case.objects.get(pk=case.pk))) == []
