"""Retention: untriaged submissions past the organisation's period are deleted with their messages and files."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from asylon.accounts.models import OrgPolicy
from asylon.audit.models import AuditEntry
from asylon.intake.models import IntakeFile, IntakeMessage, IntakeSubmission, SubmissionStatus
from asylon.intake.services.retention import purge, untriaged_expired
from asylon.intake.services.submissions import public_message_add
from asylon.intake.tasks import intake_retention_daily
from asylon.intake.tests.services.conftest import stored_blobs, submit
from tests.factories import OrganisationFactory

START = datetime.datetime(2026, 1, 10, 9, 30, tzinfo=datetime.UTC)


@pytest.fixture
def aged(organisation, private_media):
    """Three untriaged submissions made on 10 January, one converted, one discarded; a later one on 1 March."""
    made = {}
    with time_machine.travel(START, tick=False):
        note = SimpleUploadedFile("a.txt", b"old file", content_type="text/plain")
        made["old"], _codename = submit(organisation, files=[note])
        public_message_add(submission=made["old"], body="still waiting", files=[])
        made["old2"], _codename = submit(organisation)
        made["converted"], _codename = submit(organisation)
        made["discarded"], _codename = submit(organisation)
    IntakeSubmission.objects.filter(pk=made["converted"].pk).update(status=SubmissionStatus.CONVERTED)
    IntakeSubmission.objects.filter(pk=made["discarded"].pk).update(status=SubmissionStatus.DISCARDED)
    with time_machine.travel(START + datetime.timedelta(days=50), tick=False):
        made["recent"], _codename = submit(organisation)
    return made


def at(days):
    return START + datetime.timedelta(days=days)


def test_only_untriaged_submissions_past_the_period_expire(organisation, aged):
    OrgPolicy.objects.update_or_create(organisation=organisation, defaults={"intake_retention_days": 30})
    assert set(untriaged_expired(now=at(29))) == set()
    assert set(untriaged_expired(now=at(31))) == {aged["old"], aged["old2"]}
    assert set(untriaged_expired(organisation=organisation, now=at(81))) == {aged["old"], aged["old2"], aged["recent"]}


def test_the_period_counts_from_the_last_message(organisation, aged):
    OrgPolicy.objects.update_or_create(organisation=organisation, defaults={"intake_retention_days": 30})
    with time_machine.travel(at(20), tick=False):
        public_message_add(submission=aged["old2"], body="any news? the hearing is next month", files=[])
    assert set(untriaged_expired(now=at(31))) == {aged["old"]}
    assert set(untriaged_expired(now=at(51))) == {aged["old"], aged["old2"]}


def test_the_default_period_applies_without_a_policy(organisation, aged):
    OrgPolicy.objects.filter(organisation=organisation).delete()
    assert not untriaged_expired(now=at(89)).exists()
    assert set(untriaged_expired(now=at(91))) == {aged["old"], aged["old2"]}


def test_dry_run_counts_and_changes_nothing(organisation, aged, private_media):
    OrgPolicy.objects.update_or_create(organisation=organisation, defaults={"intake_retention_days": 30})
    audited = AuditEntry.objects.count()
    report = purge(dry_run=True, now=at(31))
    assert report.dry_run and report.submissions == 2
    (only,) = report.organisations
    assert (only.slug, only.submissions, only.messages, only.files, only.retention_days) == (
        organisation.slug,
        2,
        1,
        1,
        30,
    )
    assert IntakeSubmission.objects.count() == 5 and IntakeMessage.objects.count() == 1
    assert len(stored_blobs(private_media)) == 1
    assert AuditEntry.objects.count() == audited


def test_real_run_deletes_rows_and_files_and_audits_counts_per_organisation(
    organisation, aged, private_media, django_capture_on_commit_callbacks
):
    OrgPolicy.objects.update_or_create(organisation=organisation, defaults={"intake_retention_days": 30})
    other = OrganisationFactory()
    with time_machine.travel(START, tick=False):
        submit(other)  # the other organisation keeps 90 days (its default)
    with django_capture_on_commit_callbacks(execute=True):
        report = purge(dry_run=False, now=at(31))

    assert report.submissions == 2 and not report.dry_run
    assert set(IntakeSubmission.objects.values_list("pk", flat=True)) == {
        aged["converted"].pk,
        aged["discarded"].pk,
        aged["recent"].pk,
    } | set(IntakeSubmission.objects.filter(organisation=other).values_list("pk", flat=True))
    assert IntakeSubmission.objects.filter(organisation=other).count() == 1
    assert not IntakeMessage.objects.exists() and not IntakeFile.objects.exists()
    assert stored_blobs(private_media) == []
    entry = AuditEntry.objects.get(action="intake.retention_purge")
    assert entry.actor_id is None and entry.remote_address is None and entry.organisation_id == organisation.pk
    assert entry.details == {"submissions": 2, "messages": 1, "files": 1, "retention_days": 30}
    assert purge(dry_run=False, now=at(31)).submissions == 0  # nothing left to do; no second entry
    assert AuditEntry.objects.filter(action="intake.retention_purge").count() == 1


def test_the_command_reports_and_the_daily_task_purges(organisation, aged, capsys):
    OrgPolicy.objects.update_or_create(organisation=organisation, defaults={"intake_retention_days": 30})
    with time_machine.travel(at(31), tick=False):
        call_command("intake_retention", "--dry-run")
        output = capsys.readouterr().out
        assert f"{organisation.slug}: would delete 2 untriaged submissions older than 30 days" in output
        assert "Test Person" not in output
        assert IntakeSubmission.objects.count() == 5
        assert intake_retention_daily.call_local() == 2
    assert IntakeSubmission.objects.count() == 3
