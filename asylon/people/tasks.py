"""Background work for persons (huey). Arguments are ids, never personal values."""

from __future__ import annotations

import logging

from huey.contrib.djhuey import db_task

from asylon.accounts.models import Organisation, User
from asylon.people.services_merge import duplicates_scan

logger = logging.getLogger(__name__)


@db_task()
def duplicates_scan_task(actor_id: str, organisation_id: str) -> int:
    """Scan all persons of an organisation for duplicate candidates on behalf of a user."""
    actor = User.objects.get(pk=actor_id)
    organisation = Organisation.objects.get(pk=organisation_id)
    recorded = duplicates_scan(actor=actor, organisation=organisation)
    logger.info("duplicate scan of organisation %s recorded %d new candidates", organisation_id, recorded)
    return recorded
