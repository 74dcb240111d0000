"""Interventions: what the organisation did in a case (legal aid, letters, alerts, press work) and the response."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from asylon.accounts.permissions import require
from asylon.accounts.selectors import colleagues_of
from asylon.audit import services as audit
from asylon.cases.models import Case, Intervention
from asylon.cases.services.vocabulary import term_for_field
from asylon.common.services import assign, reject_unknown_fields
from asylon.vocab import codes

INTERVENTION_FIELDS = frozenset(
    {"intervention_type", "carried_out_on", "performed_by", "addressee", "description", "response"}
)


def _apply(intervention: Intervention, fields: dict[str, Any]) -> list[str]:
    """Check and set the given fields (a type code becomes its term); return the names of those that changed."""
    organisation = intervention.organisation
    changed = []
    for name, value in fields.items():
        if name == "intervention_type":
            value = term_for_field("intervention_type", codes.INTERVENTION_TYPE, value, organisation)
        elif name == "performed_by":
            if value is not None and not colleagues_of(organisation).filter(pk=value.pk).exists():
                raise ValidationError({"performed_by": _("Choose a colleague from this organisation.")})
        elif name == "carried_out_on":
            if value is None:
                raise ValidationError({"carried_out_on": _("Enter the date of the intervention.")})
            if value > datetime.date.today():
                raise ValidationError({"carried_out_on": _("This date is in the future.")})
            if value.year < 1900:
                raise ValidationError({"carried_out_on": _("Enter a date from 1900 onwards.")})
        elif value is None:
            value = ""
        if assign(intervention, name, value):
            changed.append(name)
    return changed


@transaction.atomic
def intervention_record(
    *,
    actor: Any,
    case: Case,
    intervention_type: str,
    carried_out_on: datetime.date,
    performed_by: Any = None,
    addressee: str = "",
    description: str = "",
    response: str = "",
) -> Intervention:
    """Record an intervention: its type, date, who performed it, to whom it went, what was done and the response."""
    require(actor, "cases.change_intervention", case)
    intervention = Intervention(organisation=case.organisation, case=case)
    _apply(
        intervention,
        {
            "intervention_type": intervention_type,
            "carried_out_on": carried_out_on,
            "performed_by": performed_by,
            "addressee": addressee,
            "description": description,
            "response": response,
        },
    )
    intervention.full_clean()
    intervention.save()
    audit.record(
        actor=actor,
        action="intervention.create",
        target=intervention,
        details={"intervention_type": intervention_type},
    )
    return intervention


@transaction.atomic
def intervention_update(*, actor: Any, intervention: Intervention, **fields: Any) -> Intervention:
    """Change an intervention's fields, for example to record the response when it comes."""
    require(actor, "cases.change_intervention", intervention.case)
    reject_unknown_fields(fields, INTERVENTION_FIELDS)
    changed = _apply(intervention, fields)
    intervention.full_clean()
    intervention.save()
    audit.record(actor=actor, action="intervention.update", target=intervention, changed_fields=changed)
    return intervention
