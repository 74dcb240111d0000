"""Background work of the organisation admin console (huey): unused invitations are not kept."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from asylon.accounts.services_invitations import invitations_purge

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="41", hour="3"))
def invitations_purge_daily() -> int:
    """Delete invitations never accepted, expired or withdrawn over 30 days ago; log the count only."""
    deleted = invitations_purge()
    logger.info("unused invitations deleted: %d", deleted)
    return deleted
