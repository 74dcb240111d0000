"""Proceedings (appeals, complaints, court tiers) and their hearings; recorded by lawyers and org admins."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from asylon.accounts.permissions import require
from asylon.audit import services as audit
from asylon.cases.models import Case, Decision, Hearing, Proceeding, ProceedingTier
from asylon.cases.services.vocabulary import term_for_field
from asylon.common.services import assign, reject_unknown_fields
from asylon.vocab import codes

PROCEEDING_FIELDS = frozenset({"tier", "court", "decision", "lodged_on", "outcome", "decided_year", "court_reference"})


def _check_decision_in_case(decision: Decision | None, case: Case) -> None:
    if decision is not None and decision.case_id != case.pk:
        raise ValidationError({"decision": _("The decision belongs to another case.")})


def _check_tier(tier: str) -> None:
    if tier not in ProceedingTier.values:
        raise ValidationError({"tier": _("Choose one of the tiers offered.")})


def _check_dates(proceeding: Proceeding) -> None:
    """Lodged on a day that has come; decided in a year that has come and not before the lodging."""
    lodged_on = proceeding.lodged_on
    if lodged_on and lodged_on > datetime.date.today():
        raise ValidationError({"lodged_on": _("This date is in the future.")})
    if lodged_on and lodged_on.year < 1900:
        raise ValidationError({"lodged_on": _("Enter a date from 1900 onwards.")})
    decided_year = proceeding.decided_year
    if decided_year is not None:
        if not 1900 <= decided_year <= datetime.date.today().year:
            raise ValidationError({"decided_year": _("Enter a year from 1900 to this year.")})
        if lodged_on and decided_year < lodged_on.year:
            raise ValidationError({"decided_year": _("A proceeding cannot be decided before it was lodged.")})


def _apply(proceeding: Proceeding, fields: dict[str, Any]) -> list[str]:
    """Set the given fields (vocabulary codes become terms); return the names of those that changed."""
    organisation = proceeding.organisation
    changed = []
    for name, value in fields.items():
        if name == "tier":
            _check_tier(value)
        elif name == "court":
            value = term_for_field("court", codes.DECISION_MAKER, value, organisation)
        elif name == "outcome":
            value = term_for_field("outcome", codes.DECISION_OUTCOME, value, organisation) if value else None
        elif name == "decision":
            _check_decision_in_case(value, proceeding.case)
        elif name == "court_reference":
            value = value or ""
        if assign(proceeding, name, value):
            changed.append(name)
    proceeding.lodged_year = proceeding.lodged_on.year if proceeding.lodged_on else None
    _check_dates(proceeding)
    return changed


@transaction.atomic
def proceeding_record(
    *,
    actor: Any,
    case: Case,
    tier: str,
    court: str,
    lodged_on: datetime.date | None = None,
    decision: Decision | None = None,
    outcome: str = "",
    decided_year: int | None = None,
    court_reference: str = "",
) -> Proceeding:
    """Record an appeal or complaint at one tier: the court or body, the decision challenged, lodging and outcome."""
    require(actor, "cases.change_proceeding", case)
    proceeding = Proceeding(organisation=case.organisation, case=case)
    _apply(
        proceeding,
        {
            "tier": tier,
            "court": court,
            "decision": decision,
            "lodged_on": lodged_on,
            "outcome": outcome,
            "decided_year": decided_year,
            "court_reference": court_reference,
        },
    )
    proceeding.full_clean()
    proceeding.save()
    audit.record(
        actor=actor,
        action="proceeding.create",
        target=proceeding,
        details={"tier": tier, "court": court, "outcome": outcome},
    )
    return proceeding


@transaction.atomic
def proceeding_update(*, actor: Any, proceeding: Proceeding, **fields: Any) -> Proceeding:
    """Change a proceeding's tier, court, decision challenged, dates, outcome or court reference."""
    require(actor, "cases.change_proceeding", proceeding.case)
    reject_unknown_fields(fields, PROCEEDING_FIELDS)
    changed = _apply(proceeding, fields)
    proceeding.full_clean()
    proceeding.save()
    details = {"outcome": proceeding.outcome.code} if "outcome" in changed and proceeding.outcome else None
    audit.record(actor=actor, action="proceeding.update", target=proceeding, changed_fields=changed, details=details)
    return proceeding


@transaction.atomic
def hearing_schedule(
    *, actor: Any, proceeding: Proceeding, scheduled_for: datetime.datetime, notes: str = ""
) -> Hearing:
    """Schedule (or record) a hearing of a proceeding; its date and time stay clear for the calendar."""
    require(actor, "cases.change_proceeding", proceeding.case)
    if scheduled_for is None:
        raise ValidationError({"scheduled_for": _("Enter the date and time of the hearing.")})
    if not 1900 <= scheduled_for.year <= 2100:
        raise ValidationError({"scheduled_for": _("Enter a date from 1900 to 2100.")})
    if timezone.is_naive(scheduled_for):
        scheduled_for = timezone.make_aware(scheduled_for)
    lodged_on = proceeding.lodged_on
    if lodged_on and timezone.localtime(scheduled_for).date() < lodged_on:
        raise ValidationError({"scheduled_for": _("A hearing cannot take place before the proceeding was lodged.")})
    hearing = Hearing(
        organisation=proceeding.organisation, proceeding=proceeding, scheduled_for=scheduled_for, notes=notes
    )
    hearing.full_clean()
    hearing.save()
    audit.record(actor=actor, action="hearing.create", target=hearing, details={"tier": proceeding.tier})
    return hearing
