"""A retention run: the closed cases past their organisation's period are erased through `case_erase`
(each case in its own transaction, with its erasure's audit entries), and the intake's purge of untriaged
submissions runs beside it, so one report shows both. With `dry_run` nothing is written.

The daily huey task and `asylon retention` run it for every organisation with no actor (the schedule; the
erasure services accept that only for the reason "retention"); an organisation admin may run it for their
own organisation from /org/retention/. Each organisation's run appends one `retention.run` entry (counts,
the period, the cut-off and the erased case ids; no personal data)."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from asylon.accounts.models import Organisation
from asylon.accounts.permissions import require
from asylon.audit import services as audit
from asylon.cases.services.erasure import case_erase
from asylon.intake.models import IntakeFile, IntakeMessage, IntakeSubmission
from asylon.intake.services import retention as intake_retention
from asylon.ops.retention.schedule import ClosedCaseRetention, closed_case_plan, closed_cases_expired
from asylon.people.services_erasure import ErasureReason

logger = logging.getLogger(__name__)


@dataclass
class RetentionRun:
    """The outcome of one run (or dry run): closed cases per organisation, and the intake purge."""

    dry_run: bool
    now: datetime.datetime
    closed: list[ClosedCaseRetention] = field(default_factory=list)
    intake: list[intake_retention.OrganisationPurge] = field(default_factory=list)

    @property
    def cases(self) -> int:
        return sum(plan.cases for plan in self.closed)

    @property
    def persons(self) -> int:
        return sum(plan.persons for plan in self.closed)

    @property
    def erased_cases(self) -> int:
        return sum(plan.erased_cases for plan in self.closed)

    @property
    def erased_persons(self) -> int:
        return sum(plan.erased_persons for plan in self.closed)

    @property
    def submissions(self) -> int:
        return sum(purge.submissions for purge in self.intake)

    @property
    def failed(self) -> int:
        return sum(len(plan.failed_case_ids) for plan in self.closed)


def _erase_expired(*, actor: Any, organisation: Organisation, plan: ClosedCaseRetention, today: datetime.date) -> None:
    """Erase each case of the plan in its own transaction, checked again under a row lock (a case reopened or
    erased since the plan is left alone); a case whose erasure fails stays, is counted, and the others go on
    (the next run tries it again)."""
    for case_id in plan.case_ids:
        try:
            with transaction.atomic():
                expired = closed_cases_expired(organisation=organisation, today=today)
                case = expired.select_for_update().filter(pk=case_id).first()
                if case is None:  # reopened, or erased meanwhile (by hand, or with a person of another case)
                    plan.skipped_case_ids.append(case_id)
                    continue
                erasure = case_erase(actor=actor, case=case, reason=ErasureReason.RETENTION)
        except ValidationError:
            plan.failed_case_ids.append(case_id)
            logger.warning("retention could not erase case %s", case_id)
            continue
        plan.erased_case_ids.extend(erasure.case_ids)
        plan.erased_persons += len(erasure.tombstones)


def _record(*, actor: Any, organisation: Organisation, plan: ClosedCaseRetention) -> None:
    # The schedule runs outside any request (no address); an admin's run keeps their request's address.
    where: dict[str, Any] = {"remote_address": None} if actor is None else {}
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="retention.run",
            target=organisation,
            organisation=organisation,
            details={
                "retention_days": plan.retention_days,
                "cutoff": plan.cutoff.isoformat(),
                "cases": plan.erased_cases,
                "persons": plan.erased_persons,
                "documents": plan.documents,
                "case_ids": plan.erased_case_ids,
                "failed_case_ids": plan.failed_case_ids,
                "skipped_case_ids": plan.skipped_case_ids,
                "undated_closed_cases": plan.undated,
            },
            **where,
        )


def _organisation_run(
    *, actor: Any, organisation: Organisation, dry_run: bool, today: datetime.date
) -> ClosedCaseRetention:
    plan = closed_case_plan(organisation=organisation, today=today)
    if not dry_run and plan.case_ids:
        _erase_expired(actor=actor, organisation=organisation, plan=plan, today=today)
        _record(actor=actor, organisation=organisation, plan=plan)
    return plan


def retention_run(*, dry_run: bool, now: datetime.datetime | None = None, intake: bool = True) -> RetentionRun:
    """The schedule over every organisation (no actor): expired closed cases erased and, with `intake`,
    untriaged intake purged. With dry_run, the same report and nothing written."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    run = RetentionRun(dry_run=dry_run, now=now)
    for organisation in Organisation.objects.order_by("slug"):
        plan = _organisation_run(actor=None, organisation=organisation, dry_run=dry_run, today=today)
        if plan.case_ids or plan.undated:
            run.closed.append(plan)
    if intake:
        run.intake = intake_retention.purge(dry_run=dry_run, now=now).organisations
    logger.info(
        "retention %s: %d closed cases, %d persons, %d untriaged submissions, %d failed",
        "dry run" if dry_run else "run",
        run.cases if dry_run else run.erased_cases,
        run.persons if dry_run else run.erased_persons,
        run.submissions,
        run.failed,
    )
    return run


def _intake_preview(*, organisation: Organisation, now: datetime.datetime) -> intake_retention.OrganisationPurge:
    """What the intake purge would delete in one organisation (its own dry run, narrowed to it)."""
    expired = intake_retention.untriaged_expired(organisation=organisation, now=now).values("pk")
    return intake_retention.OrganisationPurge(
        organisation_id=str(organisation.pk),
        slug=organisation.slug,
        retention_days=intake_retention.retention_days(organisation),
        submissions=IntakeSubmission.objects.filter(pk__in=expired).count(),
        messages=IntakeMessage.objects.filter(submission_id__in=expired).count(),
        files=IntakeFile.objects.filter(submission_id__in=expired).count(),
    )


def organisation_retention_preview(*, actor: Any, organisation: Organisation) -> RetentionRun:
    """What the schedule would erase in one organisation today (for its admins; nothing written)."""
    require(actor, "ops.run_retention", organisation)
    now = timezone.now()
    today = timezone.localdate(now)
    run = RetentionRun(dry_run=True, now=now)
    run.closed.append(closed_case_plan(organisation=organisation, today=today))
    run.intake.append(_intake_preview(organisation=organisation, now=now))
    return run


def organisation_retention_apply(*, actor: Any, organisation: Organisation) -> ClosedCaseRetention:
    """Erase now, as the admin, the organisation's closed cases past their period (what the daily run
    would erase tonight); audited under the admin's name."""
    require(actor, "ops.run_retention", organisation)
    return _organisation_run(actor=actor, organisation=organisation, dry_run=False, today=timezone.localdate())
