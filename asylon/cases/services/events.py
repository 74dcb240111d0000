"""Recording ESF events: what was done to whom, when (with its precision), where and by whom."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from asylon.accounts.permissions import require
from asylon.audit import services as audit
from asylon.cases.models import Case, Event
from asylon.cases.services.vocabulary import term_for_field
from asylon.common.models import DatePrecision
from asylon.common.services import reject_unknown_fields
from asylon.evidence.models import Source
from asylon.people.models import Person
from asylon.people.services_consent import casework_allowed, flags_allowed
from asylon.vocab import codes


def event_dates(
    *, precision: str, occurred_on: datetime.date | None, year: int | None, month: int | None
) -> tuple[datetime.date | None, int, int | None]:
    """Check a date against its precision and return (exact date, year, month) as stored.

    An exact date is kept (encrypted) only for day or approximate precision; a month-precision
    date keeps year and month, a year-precision date the year alone, so nothing pretends to know
    a day it does not.
    """
    if precision not in DatePrecision.values:
        raise ValidationError({"date_precision": _("Unknown date precision.")})
    if precision in (DatePrecision.DAY, DatePrecision.APPROXIMATE):
        if occurred_on is None:
            raise ValidationError({"occurred_on": _("A date is required for this precision.")})
        return occurred_on, occurred_on.year, occurred_on.month
    if occurred_on is not None:
        year, month = occurred_on.year, occurred_on.month
    if year is None:
        raise ValidationError({"year": _("The year is required.")})
    if precision == DatePrecision.MONTH:
        if month is None:
            raise ValidationError({"month": _("The month is required for month precision.")})
        return None, year, month
    return None, year, None


EVENT_FIELDS = frozenset(
    {"person", "country", "region", "description", "violation_status", "alert_safe", "consent_to_publish"}
)


def _check_person_in_case(person: Person | None, case: Case) -> None:
    if person is not None and not case.parties.filter(person=person).exists():
        raise ValidationError({"person": _("This person is not a party to the case.")})


def _check_consent(person: Person | Any, fields: dict[str, Any]) -> None:
    """An event about a person whose casework consent is withdrawn is not written; a publication or alert
    flag is not set for a person who withdrew that consent (docs/gdpr.md, "Consent")."""
    casework_allowed(person=person, field="person")
    flags_allowed(person=person, fields=fields)


@transaction.atomic
def event_record(
    *,
    actor: Any,
    case: Case,
    event_type: str,
    date_precision: str,
    occurred_on: datetime.date | None = None,
    year: int | None = None,
    month: int | None = None,
    perpetrator: str = "",
    sources: list[Source] | None = None,
    **fields: Any,
) -> Event:
    """Record an ESF act in a case: its type, date with precision, place, perpetrator and sources."""
    require(actor, "cases.change_event", case)
    reject_unknown_fields(fields, EVENT_FIELDS)
    _check_person_in_case(fields.get("person"), case)
    _check_consent(fields.get("person"), fields)
    exact, year, month = event_dates(precision=date_precision, occurred_on=occurred_on, year=year, month=month)
    event = Event(
        organisation=case.organisation,
        case=case,
        event_type=term_for_field("event_type", codes.EVENT_TYPE, event_type, case.organisation),
        perpetrator=term_for_field("perpetrator", codes.DECISION_MAKER, perpetrator, case.organisation)
        if perpetrator
        else None,
        date_precision=date_precision,
        occurred_on=exact,
        year=year,
        month=month,
        **fields,
    )
    event.full_clean()
    _check_sources(sources or [], case)
    event.save()
    if sources:
        event.sources.set(sources)
    audit.record(actor=actor, action="event.create", target=event, details={"event_type": event_type})
    return event


def _check_sources(sources: list[Source], case: Case) -> None:
    if any(source.organisation_id != case.organisation_id for source in sources):
        raise ValidationError({"sources": _("A source belongs to another organisation.")})


@transaction.atomic
def event_update(
    *,
    actor: Any,
    event: Event,
    date_precision: str | None = None,
    occurred_on: datetime.date | None = None,
    year: int | None = None,
    month: int | None = None,
    event_type: str | None = None,
    perpetrator: str | None = None,
    sources: list[Source] | None = None,
    **fields: Any,
) -> Event:
    """Change an event's fields, its type, perpetrator or sources, or its date together with its precision."""
    require(actor, "cases.change_event", event.case)
    reject_unknown_fields(fields, EVENT_FIELDS)
    _check_person_in_case(fields.get("person"), event.case)
    _check_consent(fields.get("person", event.person_id), fields)
    organisation = event.case.organisation
    changed = sorted(fields)
    if event_type is not None:
        event.event_type = term_for_field("event_type", codes.EVENT_TYPE, event_type, organisation)
        changed.append("event_type")
    if perpetrator is not None:
        event.perpetrator = (
            term_for_field("perpetrator", codes.DECISION_MAKER, perpetrator, organisation) if perpetrator else None
        )
        changed.append("perpetrator")
    if date_precision is not None:
        event.occurred_on, event.year, event.month = event_dates(
            precision=date_precision, occurred_on=occurred_on, year=year, month=month
        )
        event.date_precision = date_precision
        changed += ["date_precision", "occurred_on", "year", "month"]
    for name, value in fields.items():
        setattr(event, name, value)
    event.full_clean()
    if sources is not None:
        _check_sources(sources, event.case)
    event.save()
    if sources is not None:
        event.sources.set(sources)
        changed.append("sources")
    audit.record(actor=actor, action="event.update", target=event, changed_fields=sorted(changed))
    return event
