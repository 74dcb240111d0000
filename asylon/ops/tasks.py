"""Background work for imports (huey). Arguments are the run's and the actor's ids, never file contents."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from asylon.accounts.models import User
from asylon.ops.models import ImportRun

logger = logging.getLogger(__name__)


@db_task()
def import_check_task(run_id: str, actor_id: str) -> None:
    """The dry run of an import run."""
    from asylon.ops.services.imports import import_check

    run = ImportRun.objects.select_related("organisation").get(pk=run_id)
    import_check(actor=User.objects.get(pk=actor_id), run=run)
    logger.info("import run %s checked", run_id)


@db_task()
def import_commit_task(run_id: str, actor_id: str) -> None:
    """The import of a checked run, in the mode the run records."""
    from asylon.ops.services.imports import import_commit

    run = ImportRun.objects.select_related("organisation").get(pk=run_id)
    run = import_commit(actor=User.objects.get(pk=actor_id), run=run, mode=run.mode)
    logger.info("import run %s ended with status %s", run_id, run.status)


@db_periodic_task(crontab(minute="47", hour="3"))
def retention_daily() -> int:
    """Erase closed cases past each organisation's retention period (docs/gdpr.md, "Retention"); the
    untriaged intake has its own daily purge (asylon.intake.tasks). Logs counts only."""
    from asylon.ops.retention.running import retention_run

    return retention_run(dry_run=False, intake=False).erased_cases
