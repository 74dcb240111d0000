"""Retention of untriaged submissions: deleted, with their messages and files, after the organisation's
OrgPolicy.intake_retention_days (docs/intake.md). One audit entry per organisation, counts only."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from asylon.accounts.models import Organisation, OrgPolicy
from asylon.audit import services as audit
from asylon.intake.files import blobs_delete_on_commit
from asylon.intake.models import IntakeFile, IntakeMessage, IntakeSubmission, SubmissionStatus

DEFAULT_RETENTION_DAYS = OrgPolicy._meta.get_field("intake_retention_days").get_default()


@dataclass(frozen=True)
class OrganisationPurge:
    """What retention removes (or would remove) in one organisation."""

    organisation_id: str
    slug: str
    retention_days: int
    submissions: int
    messages: int
    files: int


@dataclass
class RetentionReport:
    """The outcome of one retention run, per organisation with something expired."""

    dry_run: bool
    now: datetime.datetime
    organisations: list[OrganisationPurge] = field(default_factory=list)

    @property
    def submissions(self) -> int:
        return sum(purge.submissions for purge in self.organisations)

    def lines(self) -> list[str]:
        """The report as lines for the command's output (counts only: nothing anyone wrote)."""
        verb = "would delete" if self.dry_run else "deleted"
        lines = [
            f"{purge.slug}: {verb} {purge.submissions} untriaged submissions older than {purge.retention_days} days "
            f"({purge.messages} messages, {purge.files} files)"
            for purge in self.organisations
        ]
        lines.append(f"In all: {verb} {self.submissions} untriaged submissions.")
        return lines


def retention_days(organisation: Organisation) -> int:
    """The organisation's intake retention period in days (its policy's, else the default)."""
    policy = OrgPolicy.objects.filter(organisation=organisation).first()
    return policy.intake_retention_days if policy is not None else DEFAULT_RETENTION_DAYS


def untriaged_expired(
    *, organisation: Organisation | None = None, now: datetime.datetime | None = None
) -> QuerySet[IntakeSubmission]:
    """Untriaged submissions whose last activity (sent, or a message either way) is older than their
    organisation's intake retention period: someone still writing while they wait is not forgotten."""
    now = now or timezone.now()
    organisations = [organisation] if organisation is not None else list(Organisation.objects.all())
    expired = Q(pk__in=[])
    for each in organisations:
        cutoff = now - datetime.timedelta(days=retention_days(each))
        written_since = IntakeMessage.objects.filter(submission=OuterRef("pk"), created_at__gte=cutoff)
        expired |= Q(Q(organisation=each, created_at__lt=cutoff), ~Exists(written_since))
    return IntakeSubmission.objects.filter(expired, status=SubmissionStatus.UNTRIAGED)


def purge(*, dry_run: bool, now: datetime.datetime | None = None) -> RetentionReport:
    """Delete (or, with dry_run, count) the expired untriaged submissions of every organisation."""
    now = now or timezone.now()
    report = RetentionReport(dry_run=dry_run, now=now)
    for organisation in Organisation.objects.order_by("slug"):
        with transaction.atomic():
            purged = _purge_organisation(organisation=organisation, dry_run=dry_run, now=now)
        if purged is not None:
            report.organisations.append(purged)
    return report


def _purge_organisation(
    *, organisation: Organisation, dry_run: bool, now: datetime.datetime
) -> OrganisationPurge | None:
    expired = untriaged_expired(organisation=organisation, now=now)
    if not dry_run:
        expired = expired.select_for_update()
    ids = list(expired.values_list("pk", flat=True))
    if not ids:
        return None
    files = list(IntakeFile.objects.filter(submission_id__in=ids).values_list("blob_name", flat=True))
    purged = OrganisationPurge(
        organisation_id=str(organisation.pk),
        slug=organisation.slug,
        retention_days=retention_days(organisation),
        submissions=len(ids),
        messages=IntakeMessage.objects.filter(submission_id__in=ids).count(),
        files=len(files),
    )
    if dry_run:
        return purged
    IntakeFile.objects.filter(submission_id__in=ids).delete()
    IntakeSubmission.objects.filter(pk__in=ids).delete()  # messages cascade
    blobs_delete_on_commit(files)
    audit.record(
        actor=None,
        action="intake.retention_purge",
        organisation=organisation,
        details={
            "submissions": purged.submissions,
            "messages": purged.messages,
            "files": purged.files,
            "retention_days": purged.retention_days,
        },
        remote_address=None,
    )
    return purged
