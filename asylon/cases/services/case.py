"""Opening and changing cases, and who may open them (case membership)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from asylon.accounts.models import Organisation
from asylon.accounts.permissions import require
from asylon.audit import services as audit
from asylon.cases.models import Case, CaseMembership
from asylon.common.services import reject_unknown_fields

CASE_FIELDS = frozenset({"status", "risk", "jurisdiction", "lead_assignee", "opened_on", "closed_on", "summary"})


def _next_reference(organisation: Organisation, year: int) -> str:
    prefix = f"{organisation.country}-{year}-"
    number = Case.objects.filter(organisation=organisation, reference__startswith=prefix).count() + 1
    # Erased cases leave gaps in the numbering (docs/gdpr.md): skip references still taken.
    while Case.objects.filter(organisation=organisation, reference=f"{prefix}{number:05d}").exists():
        number += 1
    return f"{prefix}{number:05d}"


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
