"""The retention schedule: closed cases past the organisation's period are erased (with the persons party to
no other case and their files), nothing else is; the dry run reports the same and writes nothing; one
command shows closed cases and untriaged intake together; the daily task runs it."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from asylon.accounts.models import OrgPolicy
from asylon.audit.models import AuditEntry
from asylon.cases.models import Case, CaseStatus
from asylon.evidence.models import Document
from asylon.intake.models import IntakeSubmission
from asylon.intake.tests.services.conftest import submit
from asylon.ops.retention.running import retention_run
from asylon.ops.retention.schedule import closed_case_plan, closed_cases_expired
from asylon.ops.tasks import retention_daily
from asylon.people.models import Person, PersonTombstone, TombstoneReason
from tests.factories import OrganisationFactory, case_with_member, person_on_case

from .conftest import DAYS, closed

pytestmark = pytest.mark.django_db


def test_only_closed_cases_past_the_period_expire(organisation, cases):
    assert list(closed_cases_expired(organisation=organisation)) == [cases.expired, cases.expired_shared]
    # Closed exactly DAYS days ago: kept through today.
    closed(cases.recent, DAYS)
    assert cases.recent not in closed_cases_expired(organisation=organisation)
    later = timezone.localdate() + datetime.timedelta(days=1)
    assert cases.recent in closed_cases_expired(organisation=organisation, today=later)


def test_the_plan_counts_what_case_erasure_would_take(organisation, cases):
    plan = closed_case_plan(organisation=organisation)
    assert plan.case_ids == [str(cases.expired.pk), str(cases.expired_shared.pk)]
    assert plan.references == [cases.expired.reference, cases.expired_shared.reference]
    assert (plan.persons, plan.documents, plan.undated, plan.retention_days) == (1, 1, 1, DAYS)
    assert plan.cutoff == timezone.localdate() - datetime.timedelta(days=DAYS)


def test_the_dry_run_reports_and_writes_nothing(organisation, cases):
    entries = AuditEntry.objects.count()
    run = retention_run(dry_run=True)
    assert (run.cases, run.persons, run.erased_cases) == (2, 1, 0)
    assert Case.objects.count() == 5
    assert Person.objects.filter(pk=cases.client.pk).exists()
    assert AuditEntry.objects.count() == entries


def test_the_run_erases_expired_cases_and_persons_left_without_a_case(
    organisation, cases, private_media, django_capture_on_commit_callbacks
):
    blob = private_media / "documents" / cases.blob
    assert blob.exists()
    with django_capture_on_commit_callbacks(execute=True):
        run = retention_run(dry_run=False)

    assert (run.erased_cases, run.erased_persons, run.failed) == (2, 1, 0)
    assert set(Case.objects.all()) == {cases.recent, cases.open, cases.undated}
    assert not Person.objects.filter(pk=cases.client.pk).exists()
    assert Person.objects.filter(pk=cases.kept_client.pk).exists()
    tombstone = PersonTombstone.objects.get(former_person_id=cases.client.pk)
    assert tombstone.reason == TombstoneReason.ERASED
    assert not Document.objects.exists()
    assert not blob.exists()

    entry = AuditEntry.objects.get(action="retention.run")
    assert entry.actor_id is None
    assert entry.remote_address is None
    assert entry.organisation_id == organisation.pk
    assert entry.details["cases"] == 2
    assert entry.details["persons"] == 1
    assert entry.details["retention_days"] == DAYS
    assert entry.details["undated_closed_cases"] == 1
    assert sorted(entry.details["case_ids"]) == sorted([str(cases.expired.pk), str(cases.expired_shared.pk)])
    erased = AuditEntry.objects.filter(action="case.erase")
    assert {e.target_id for e in erased} == {str(cases.expired.pk), str(cases.expired_shared.pk)}
    assert {e.details["reason"] for e in erased} == {"retention"}
    assert AuditEntry.objects.filter(action="person.erase", target_id=str(cases.client.pk), actor=None).exists()

    again = retention_run(dry_run=False)
    assert again.erased_cases == 0
    assert AuditEntry.objects.filter(action="retention.run").count() == 1


def test_each_organisation_keeps_its_own_period(organisation, cases, caseworker):
    other = OrganisationFactory()
    OrgPolicy.objects.update_or_create(organisation=other, defaults={"closed_case_retention_days": 365})
    theirs = closed(case_with_member(other), 40)
    person_on_case(theirs)
    retention_run(dry_run=False)
    assert Case.objects.filter(pk=theirs.pk).exists()
    assert not Case.objects.filter(pk=cases.expired.pk).exists()
    assert not AuditEntry.objects.filter(action="retention.run", organisation=other).exists()


def test_a_reopened_case_is_not_erased(organisation, cases):
    Case.objects.filter(pk=cases.expired.pk).update(status=CaseStatus.OPEN)
    retention_run(dry_run=False)
    assert Case.objects.filter(pk=cases.expired.pk).exists()
    assert Person.objects.filter(pk=cases.client.pk).exists()


def test_the_command_shows_closed_cases_and_intake_together(organisation, cases, capsys):
    OrgPolicy.objects.filter(organisation=organisation).update(intake_retention_days=1)
    submission, _codename = submit(organisation)
    IntakeSubmission.objects.filter(pk=submission.pk).update(created_at=timezone.now() - datetime.timedelta(days=3))

    long_slug = "an-organisation-whose-short-name-is-rather-long"
    type(organisation).objects.filter(pk=organisation.pk).update(slug=long_slug)
    call_command("retention", "--dry-run")
    out = capsys.readouterr().out
    assert "dry run" in out
    assert out.count(long_slug) == 2  # never cut, in both tables
    assert "Closed cases past their retention period" in out and "Untriaged intake past its" in out
    assert "Would erase 2 closed cases with 1 persons, and would delete 1 untriaged intake submissions." in out
    assert "1 closed cases have no closing date" in out
    assert Case.objects.count() == 5
    assert IntakeSubmission.objects.exists()
    # Counts and slugs only: no case reference, no name.
    assert cases.expired.reference not in out

    call_command("retention")
    out = capsys.readouterr().out
    assert "Erased 2 closed cases with 1 persons, and deleted 1 untriaged intake submissions." in out
    assert not IntakeSubmission.objects.exists()
    assert Case.objects.count() == 3


def test_the_daily_task_erases_closed_cases(organisation, cases):
    assert retention_daily.call_local() == 2
    assert not Case.objects.filter(pk__in=[cases.expired.pk, cases.expired_shared.pk]).exists()
    assert AuditEntry.objects.filter(action="retention.run", actor=None).count() == 1


def test_a_case_reopened_after_the_plan_was_made_is_left_alone(organisation, cases, monkeypatch):
    from asylon.ops.retention import running

    planned = running.closed_case_plan

    def plan_then_reopen(**kwargs):
        plan = planned(**kwargs)
        Case.objects.filter(pk=cases.expired.pk).update(status=CaseStatus.OPEN)
        return plan

    monkeypatch.setattr(running, "closed_case_plan", plan_then_reopen)
    run = retention_run(dry_run=False)
    assert run.erased_cases == 1
    assert Case.objects.filter(pk=cases.expired.pk).exists()
    assert Person.objects.filter(pk=cases.client.pk).exists()
    entry = AuditEntry.objects.get(action="retention.run")
    assert entry.details["case_ids"] == [str(cases.expired_shared.pk)]
    assert entry.details["skipped_case_ids"] == [str(cases.expired.pk)]
