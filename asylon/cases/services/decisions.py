"""Recording decisions and keeping their computed deadlines in line with the legal rules."""

from __future__ import annotations

import datetime
from types import EllipsisType
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from asylon.accounts.permissions import require
from asylon.audit import services as audit
from asylon.cases.deadlines import deadline_due
from asylon.cases.models import Case, Deadline, DeadlineStatus, Decision, Event
from asylon.cases.services.vocabulary import term_for_field, terms_for_field
from asylon.vocab import codes
from asylon.vocab.models import StartEvent
from asylon.vocab.selectors import legal_rules_for


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
        decision_type=term_for_field("decision_type", codes.DECISION_TYPE, decision_type, organisation),
        decision_maker=term_for_field("decision_maker", codes.DECISION_MAKER, decision_maker, organisation),
        outcome=term_for_field("outcome", codes.DECISION_OUTCOME, outcome, organisation) if outcome else None,
        served_on=served_on,
        decided_on=decided_on,
        served_year=served_on.year if served_on else None,
        served_month=served_on.month if served_on else None,
        reference_number=reference_number,
    )
    grounds_terms = terms_for_field("grounds", codes.GROUNDS, grounds or [], organisation)
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
    decision_type: str | None = None,
    decision_maker: str | None = None,
    reference_number: str | None = None,
    event: Event | EllipsisType | None = ...,
) -> Decision:
    """Change a decision's type, maker, dates, outcome, grounds, number or event; its deadlines follow.

    An argument left out (None; for `event`, `...`, since None unlinks the event) stays as it is.
    """
    require(actor, "cases.change_decision", decision.case)
    organisation = decision.organisation
    changed = []
    if decision_type is not None:
        decision.decision_type = term_for_field("decision_type", codes.DECISION_TYPE, decision_type, organisation)
        changed.append("decision_type")
    if decision_maker is not None:
        decision.decision_maker = term_for_field("decision_maker", codes.DECISION_MAKER, decision_maker, organisation)
        changed.append("decision_maker")
    if reference_number is not None:
        decision.reference_number = reference_number
        changed.append("reference_number")
    if not isinstance(event, EllipsisType):
        if event is not None and event.case_id != decision.case_id:
            raise ValidationError({"event": _("The event belongs to another case.")})
        decision.event = event
        changed.append("event")
    if served_on is not None:
        decision.served_on, decision.served_year, decision.served_month = served_on, served_on.year, served_on.month
        changed.append("served_on")
    if decided_on is not None:
        decision.decided_on = decided_on
        changed.append("decided_on")
    if outcome is not None:
        decision.outcome = term_for_field("outcome", codes.DECISION_OUTCOME, outcome, organisation) if outcome else None
        changed.append("outcome")
    _check_decision_dates(decision.decided_on, decision.served_on)
    grounds_terms = terms_for_field("grounds", codes.GROUNDS, grounds, organisation) if grounds is not None else None
    decision.full_clean()
    decision.save()
    if grounds_terms is not None:
        decision.grounds.set(grounds_terms)
        changed.append("grounds")
    deadlines_recompute(decision=decision)
    audit.record(actor=actor, action="decision.update", target=decision, changed_fields=sorted(changed))
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
