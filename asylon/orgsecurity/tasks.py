"""Background work of the organisation security console (huey): requests nobody decided expire."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from asylon.accounts.services_factor_reset import factor_resets_expire

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="23"))
def factor_resets_expire_hourly() -> int:
    """Expire the second-factor reset requests past their lifetime; log the count only."""
    expired = factor_resets_expire()
    logger.info("factor resets expired: %d", expired)
    return expired
