"""Background work of the audit log: the hourly signed checkpoint."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from asylon.audit.checkpoints import checkpoint_create

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="7"))
def audit_checkpoint_hourly() -> None:
    """Sign and export a checkpoint when the chain moved since the last one."""
    checkpoint = checkpoint_create(only_if_changed=True)
    if checkpoint is not None:
        logger.info("audit checkpoint at sequence %s", checkpoint.sequence)
