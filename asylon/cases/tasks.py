"""Background work for cases (huey). Arguments are ids, never personal values."""

from __future__ import annotations

import logging

from django.db import transaction
from huey.contrib.djhuey import db_task

from asylon.cases.models import Decision
from asylon.cases.services.decisions import deadlines_recompute
from asylon.vocab.models import LegalRule

logger = logging.getLogger(__name__)


@db_task()
def deadlines_recompute_for_rule(rule_id: str) -> int:
    """Recompute the deadlines of every decision a legal rule applies to, after the rule changed."""
    rule = LegalRule.objects.get(pk=rule_id)
    decisions = Decision.objects.filter(decision_type=rule.decision_type, case__jurisdiction=rule.jurisdiction)
    if rule.organisation_id:
        decisions = decisions.filter(organisation_id=rule.organisation_id)
    count = 0
    for decision in decisions.select_related("case", "decision_type").iterator():
        with transaction.atomic():
            deadlines_recompute(decision=decision)
        count += 1
    logger.info("recomputed deadlines of %d decisions for legal rule %s", count, rule_id)
    return count
