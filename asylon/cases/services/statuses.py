"""Dated status histories of a person in a case (residence, procedure, liberty, document).

The exact dates are encrypted; start year, start month and the length in days stay clear for
statistics. At most one period per person, case and kind is current: recording a new current
status ends the one before it.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from asylon.accounts.permissions import require
from asylon.audit import services as audit
from asylon.cases.models import Case, StatusPeriod
from asylon.cases.statuses import STATUS_VALUES, StatusKind
from asylon.common.services import assign, reject_unknown_fields
from asylon.people.models import Person

STATUS_PERIOD_FIELDS = frozenset({"person", "kind", "status", "started_on", "ended_on", "current"})


def _check(period: StatusPeriod) -> None:
    """The person is a party to the case, the status belongs to the kind, and the dates are in order."""
    if not period.case.parties.filter(person_id=period.person_id).exists():
        raise ValidationError({"person": _("This person is not a party to the case.")})
    if period.kind not in StatusKind.values:
        raise ValidationError({"kind": _("Choose one of the kinds offered.")})
    if period.status not in STATUS_VALUES[period.kind]:
        raise ValidationError({"status": _("This status does not belong to the kind chosen.")})
    started_on, ended_on = period.started_on, period.ended_on
    if started_on is None:
        raise ValidationError({"started_on": _("Enter the date the status began.")})
    for name, value in (("started_on", started_on), ("ended_on", ended_on)):
        if value is not None and not 1900 <= value.year <= 2100:
            raise ValidationError({name: _("Enter a date from 1900 to 2100.")})
    if ended_on is not None and ended_on < started_on:
        raise ValidationError({"ended_on": _("A status cannot end before it began.")})
    if period.current and ended_on is not None and ended_on < datetime.date.today():
        raise ValidationError({"current": _("A status that has ended cannot be current.")})


def _set_clear_copies(period: StatusPeriod) -> None:
    """The coarse values kept clear for statistics: start year and month, length in days."""
    started_on, ended_on = period.started_on, period.ended_on
    period.start_year = started_on.year if started_on else None
    period.start_month = started_on.month if started_on else None
    period.duration_days = (ended_on - started_on).days if started_on and ended_on else None


def _end_previous_current(*, actor: Any, period: StatusPeriod) -> list[StatusPeriod]:
    """End the current periods of the same person, case and kind before `period` becomes current.

    A period without an end date ends the day the new one begins. A current period that began
    after the new one is refused: the new one is then history, not the current status.
    """
    previous = list(
        StatusPeriod.objects.select_for_update()
        .filter(case_id=period.case_id, person_id=period.person_id, kind=period.kind, current=True)
        .exclude(pk=period.pk)
    )
    for earlier in previous:
        if earlier.started_on and period.started_on and earlier.started_on > period.started_on:
            raise ValidationError(
                {"current": _("A later status of this kind is current. Record this one as not current.")}
            )
    for earlier in previous:
        changed = ["current"]
        earlier.current = False
        if earlier.ended_on is None:
            earlier.ended_on = period.started_on
            _set_clear_copies(earlier)
            changed += ["ended_on", "duration_days"]
        earlier.save()
        audit.record(
            actor=actor,
            action="status_period.end",
            target=earlier,
            changed_fields=changed,
            details={"kind": earlier.kind, "status": earlier.status},
        )
    return previous


@transaction.atomic
def status_period_record(
    *,
    actor: Any,
    case: Case,
    person: Person,
    kind: str,
    status: str,
    started_on: datetime.date | None,
    ended_on: datetime.date | None = None,
    current: bool = True,
) -> StatusPeriod:
    """Record a dated status of a person in a case; a new current status ends the previous one of its kind."""
    require(actor, "cases.change_statusperiod", case)
    period = StatusPeriod(
        organisation=case.organisation,
        case=case,
        person=person,
        kind=kind,
        status=status,
        started_on=started_on,
        ended_on=ended_on,
        current=current,
    )
    _check(period)
    _set_clear_copies(period)
    period.full_clean()
    ended = _end_previous_current(actor=actor, period=period) if current else []
    period.save()
    audit.record(
        actor=actor,
        action="status_period.create",
        target=period,
        details={"kind": kind, "status": status, "current": current, "ended": sorted(str(p.pk) for p in ended)},
    )
    return period


@transaction.atomic
def status_period_update(*, actor: Any, status_period: StatusPeriod, **fields: Any) -> StatusPeriod:
    """Change a status period; made current, it ends the other current period of its kind."""
    require(actor, "cases.change_statusperiod", status_period.case)
    reject_unknown_fields(fields, STATUS_PERIOD_FIELDS)
    changed = [name for name, value in fields.items() if assign(status_period, name, value)]
    _check(status_period)
    _set_clear_copies(status_period)
    status_period.full_clean()
    if status_period.current:
        _end_previous_current(actor=actor, period=status_period)
    status_period.save()
    audit.record(
        actor=actor,
        action="status_period.update",
        target=status_period,
        changed_fields=changed,
        details={"kind": status_period.kind, "status": status_period.status, "current": status_period.current},
    )
    return status_period
