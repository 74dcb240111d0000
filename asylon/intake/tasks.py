"""Background work of public intake (huey): the daily retention of untriaged submissions."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from asylon.intake.services.retention import purge

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="17", hour="3"))
def intake_retention_daily() -> int:
    """Delete untriaged submissions past their organisation's retention period; log counts only."""
    report = purge(dry_run=False)
    logger.info("intake retention deleted %d untriaged submissions", report.submissions)
    return report.submissions
