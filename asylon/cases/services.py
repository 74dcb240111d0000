"""Writes for cases and their records. Each function authorises, validates (nothing is written on
failure), writes, and appends its audit entry in the same transaction."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from asylon.accounts.models import Organisation
from asylon.accounts.permissions import require
from asylon.audit import services as audit
from asylon.cases.deadlines import deadline_due
from asylon.cases.models import (
    Case,
    CaseMembership,
    Deadline,
    DeadlineStatus,
    Decision,
    Event,
    Note,
)
from asylon.common.models import DatePrecision
from asylon.common.services import reject_unknown_fields
from asylon.evidence.models import Source
from asylon.people.models import Person
from asylon.vocab import codes
from asylon.vocab.models import StartEvent, Term
from asylon.vocab.selectors import legal_rules_for, term, terms


def _term(field: str, vocabulary: str, code: str, organisation: Organisation) -> Term:
    """A vocabulary term for a service argument; an unknown code is reported against that field."""
    try:
        return term(vocabulary=vocabulary, code=code, organisation=organisation)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error


def _terms(field: str, vocabulary: str, codes_given: list[str], organisation: Organisation) -> list[Term]:
    try:
        return terms(vocabulary=vocabulary, codes=codes_given, organisation=organisation)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error


CASE_FIELDS = frozenset({"status", "risk", "jurisdiction", "lead_assignee", "opened_on", "closed_on", "summary"})


def _next_reference(organisation: Organisation, year: int) -> str:
    prefix = f"{organisation.country}-{year}-"
    taken = Case.objects.filter(organisation=organisation, reference__startswith=prefix).count()
    return f"{prefix}{taken + 1:05d}"


@transaction.atomic
def case_open(
    *,
    actor: Any,
    organisation: Organisation,
    reference: str = "",
    summary: str = "",
    risk: str = "medium",
    jurisdiction: str = "",
    opened_on: datetime.date | None = None,
) -> Case:
    """Open a case; its creator becomes a member (need-to-know starts with them)."""
    require(actor, "cases.add_case", organisation)
    opened_on = opened_on or datetime.date.today()
    case = Case(
        organisation=organisation,
        reference=reference or _next_reference(organisation, opened_on.year),
        summary=summary,
        risk=risk,
        jurisdiction=jurisdiction or organisation.country,
        opened_on=opened_on,
        lead_assignee=actor,
    )
    duplicate = ValidationError({"reference": _("A case with this reference already exists.")})
    if Case.objects.filter(organisation=organisation, reference=case.reference).exists():
        raise duplicate
    case.full_clean()
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError as error:  # a concurrent case took the reference after our check
        raise duplicate from error
    CaseMembership.objects.create(organisation=organisation, case=case, user=actor)
    audit.record(actor=actor, action="case.open", target=case)
    return case


@transaction.atomic
def case_update(*, actor: Any, case: Case, **fields: Any) -> Case:
    """Change a case's status, risk, lead, dates or summary."""
    require(actor, "cases.change_case", case)
    reject_unknown_fields(fields, CASE_FIELDS)
    for name, value in fields.items():
        setattr(case, name, value)
    if case.closed_on and case.closed_on < case.opened_on:
        raise ValidationError({"closed_on": _("A case cannot close before it opened.")})
    case.full_clean()
    case.save()
    audit.record(actor=actor, action="case.update", target=case, changed_fields=sorted(fields))
    return case


@transaction.atomic
def case_member_add(*, actor: Any, case: Case, user: Any) -> CaseMembership:
    """Give a member of the organisation access to a case."""
    require(actor, "cases.manage_casemembership", case)
    if not user.memberships.filter(organisation=case.organisation).exists():
        raise ValidationError({"user": _("This user is not a member of the case's organisation.")})
    membership, created = CaseMembership.objects.get_or_create(organisation=case.organisation, case=case, user=user)
    if created:
        audit.record(actor=actor, action="case.member_add", target=case, details={"user": str(user.pk)})
    return membership


@transaction.atomic
def case_member_remove(*, actor: Any, case: Case, user: Any) -> None:
    """Withdraw a user's access to a case."""
    require(actor, "cases.manage_casemembership", case)
    deleted, _details = CaseMembership.objects.filter(case=case, user=user).delete()
    if deleted:
        audit.record(actor=actor, action="case.member_remove", target=case, details={"user": str(user.pk)})


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
    exact, year, month = event_dates(precision=date_precision, occurred_on=occurred_on, year=year, month=month)
    event = Event(
        organisation=case.organisation,
        case=case,
        event_type=_term("event_type", codes.EVENT_TYPE, event_type, case.organisation),
        perpetrator=_term("perpetrator", codes.DECISION_MAKER, perpetrator, case.organisation) if perpetrator else None,
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
    **fields: Any,
) -> Event:
    """Change an event's fields, or its date together with its precision."""
    require(actor, "cases.change_event", event.case)
    reject_unknown_fields(fields, EVENT_FIELDS)
    _check_person_in_case(fields.get("person"), event.case)
    changed = sorted(fields)
    if date_precision is not None:
        event.occurred_on, event.year, event.month = event_dates(
            precision=date_precision, occurred_on=occurred_on, year=year, month=month
        )
        event.date_precision = date_precision
        changed += ["date_precision", "occurred_on", "year", "month"]
    for name, value in fields.items():
        setattr(event, name, value)
    event.full_clean()
    event.save()
    audit.record(actor=actor, action="event.update", target=event, changed_fields=changed)
    return event


def _check_decision_dates(decided_on: datetime.date | None, served_on: datetime.date | None) -> None:
    if decided_on and served_on and served_on < decided_on:
        raise ValidationError({"served_on": _("A decision cannot be served before it was taken.")})


@transaction.atomic
def decision_record(
    *,
    actor: Any,
    case: Case,
    decision_type: str,
    decision_maker: str,
    served_on: datetime.date | None,
    decided_on: datetime.date | None = None,
    outcome: str = "",
    grounds: list[str] | None = None,
    event: Event | None = None,
    reference_number: str = "",
) -> Decision:
    """Record a decision served on the person and (re)compute its deadlines."""
    require(actor, "cases.change_decision", case)
    organisation = case.organisation
    if event is not None and event.case_id != case.pk:
        raise ValidationError({"event": _("The event belongs to another case.")})
    _check_decision_dates(decided_on, served_on)
    decision = Decision(
        organisation=organisation,
        case=case,
        event=event,
        decision_type=_term("decision_type", codes.DECISION_TYPE, decision_type, organisation),
        decision_maker=_term("decision_maker", codes.DECISION_MAKER, decision_maker, organisation),
        outcome=_term("outcome", codes.DECISION_OUTCOME, outcome, organisation) if outcome else None,
        served_on=served_on,
        decided_on=decided_on,
        served_year=served_on.year if served_on else None,
        served_month=served_on.month if served_on else None,
        reference_number=reference_number,
    )
    grounds_terms = _terms("grounds", codes.GROUNDS, grounds or [], organisation)
    decision.full_clean()
    decision.save()
    decision.grounds.set(grounds_terms)
    deadlines_recompute(decision=decision)
    audit.record(
        actor=actor,
        action="decision.create",
        target=decision,
        details={"decision_type": decision_type, "grounds": sorted(grounds or [])},
    )
    return decision


@transaction.atomic
def decision_update(
    *,
    actor: Any,
    decision: Decision,
    served_on: datetime.date | None = None,
    decided_on: datetime.date | None = None,
    outcome: str | None = None,
    grounds: list[str] | None = None,
) -> Decision:
    """Change a decision's dates, outcome or grounds; its deadlines follow."""
    require(actor, "cases.change_decision", decision.case)
    organisation = decision.organisation
    changed = []
    if served_on is not None:
        decision.served_on, decision.served_year, decision.served_month = served_on, served_on.year, served_on.month
        changed.append("served_on")
    if decided_on is not None:
        decision.decided_on = decided_on
        changed.append("decided_on")
    if outcome is not None:
        decision.outcome = _term("outcome", codes.DECISION_OUTCOME, outcome, organisation) if outcome else None
        changed.append("outcome")
    _check_decision_dates(decision.decided_on, decision.served_on)
    grounds_terms = _terms("grounds", codes.GROUNDS, grounds, organisation) if grounds is not None else None
    decision.full_clean()
    decision.save()
    if grounds_terms is not None:
        decision.grounds.set(grounds_terms)
        changed.append("grounds")
    deadlines_recompute(decision=decision)
    audit.record(actor=actor, action="decision.update", target=decision, changed_fields=changed)
    return decision


def deadlines_recompute(*, decision: Decision) -> list[Deadline]:
    """Bring a decision's computed deadlines in line with the legal rules and its dates.

    Called inside the caller's transaction. Deadlines already met or cancelled are left alone; open
    deadlines whose rule no longer applies (or whose start date is unknown) are cancelled.
    """
    starts: dict[str, datetime.date | None] = {
        StartEvent.SERVED: decision.served_on,
        StartEvent.DECIDED: decision.decided_on,
    }
    case = decision.case
    current: list[Deadline] = []
    applicable_rule_ids = set()
    for rule in legal_rules_for(
        decision_type=decision.decision_type,
        decision_maker=decision.decision_maker,
        jurisdiction=case.jurisdiction,
        organisation=decision.organisation,
        on=starts.get(StartEvent.SERVED) or starts.get(StartEvent.DECIDED),
    ):
        start = starts.get(rule.start_event)
        if start is None:
            continue
        computation = deadline_due(rule=rule, start=start)
        deadline, _created = Deadline.objects.update_or_create(
            decision=decision,
            legal_rule=rule,
            defaults={
                "organisation": decision.organisation,
                "case": case,
                "kind": rule.deadline_kind,
                "due_on": computation.due_on,
                "computation": computation.as_json(),
            },
        )
        if deadline.status == DeadlineStatus.CANCELLED:
            deadline.status = DeadlineStatus.OPEN
            deadline.save(update_fields=["status", "updated_at"])
        applicable_rule_ids.add(rule.pk)
        current.append(deadline)
    Deadline.objects.filter(decision=decision, status=DeadlineStatus.OPEN).exclude(
        legal_rule_id__in=applicable_rule_ids
    ).update(status=DeadlineStatus.CANCELLED)
    return current


@transaction.atomic
def note_add(*, actor: Any, case: Case, body: str, privileged: bool = False) -> Note:
    """Add a note to a case; privileged (lawyer-client) notes only by lawyers."""
    require(actor, "cases.add_privileged_note" if privileged else "cases.change_note", case)
    note = Note(organisation=case.organisation, case=case, author=actor, body=body, privileged=privileged)
    if not body.strip():
        raise ValidationError({"body": _("The note is empty.")})
    note.full_clean()
    note.save()
    audit.record(actor=actor, action="note.create", target=note, details={"privileged": privileged})
    return note


@transaction.atomic
def note_update(*, actor: Any, note: Note, body: str) -> Note:
    """Change a note's text; only its author may."""
    require(actor, "cases.add_privileged_note" if note.privileged else "cases.change_note", note.case)
    if note.author_id != actor.pk:
        raise ValidationError({"body": _("Only the author can change a note.")})
    if not body.strip():
        raise ValidationError({"body": _("The note is empty.")})
    note.body = body
    note.full_clean()
    note.save()
    audit.record(actor=actor, action="note.update", target=note, changed_fields=["body"])
    return note
