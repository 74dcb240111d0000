"""Background work for cases (huey). Arguments are ids, never personal values."""

from __future__ import annotations

import datetime
import logging
import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from huey.contrib.djhuey import db_periodic_task, db_task

from asylon.cases.models import Decision
from asylon.cases.services.decisions import deadlines_recompute
from asylon.cases.services.reminders import reminders_send
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


def daily_at_local_hour(hour: int) -> Callable[[datetime.datetime], bool]:
    """A periodic-task schedule: once a day at `hour`:00 in TIME_ZONE (huey hands it UTC times)."""

    def due(moment: datetime.datetime) -> bool:
        aware = moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)
        local = aware.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE))
        return local.hour == hour and local.minute == 0

    return due


@db_periodic_task(daily_at_local_hour(settings.ASYLON_REMINDER_HOUR))
def reminders_daily() -> int:
    """Email each user the count of their deadlines and tasks due soon (docs/deadlines.md, "Reminders")."""
    return reminders_send()
