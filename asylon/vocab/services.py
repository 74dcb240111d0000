"""Writes for reference data that organisations own: their legal rules."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from asylon.accounts.permissions import require
from asylon.audit import services as audit
from asylon.cases.tasks import deadlines_recompute_for_rule
from asylon.common.services import reject_unknown_fields
from asylon.vocab.models import LEGAL_RULE_TERMS, LegalRule

LEGAL_RULE_FIELDS = frozenset({*LEGAL_RULE_TERMS, "valid_from", "valid_until"})


@transaction.atomic
def legal_rule_update(*, actor: Any, rule: LegalRule, **fields: Any) -> LegalRule:
    """Change an organisation's legal rule; the deadlines it governs are recomputed in the background."""
    if rule.organisation is None:
        raise ValidationError(_("Instance-wide rules change with a release; add an organisation rule instead."))
    require(actor, "vocab.change_legalrule", rule.organisation)
    reject_unknown_fields(fields, LEGAL_RULE_FIELDS)
    for name, value in fields.items():
        setattr(rule, name, value)
    if rule.valid_from and rule.valid_until and rule.valid_until < rule.valid_from:
        raise ValidationError({"valid_until": _("A rule cannot end before it starts.")})
    rule.full_clean()
    rule.save()
    audit.record(
        actor=actor,
        action="legal_rule.update",
        target=rule,
        organisation=rule.organisation,
        changed_fields=sorted(fields),
    )
    transaction.on_commit(lambda: deadlines_recompute_for_rule(str(rule.pk)))
    return rule
