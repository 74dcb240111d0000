"""The triage queue's reads: order by urgency, deadline and age; organisation isolation; roles refused."""

from __future__ import annotations

import pytest

from asylon.accounts.models import Role
from asylon.audit import context as audit_context
from asylon.intake.models import IntakeSubmission, SubmissionStatus
from asylon.intake.selectors import (
    file_for,
    files_of,
    queue_counts,
    queue_for,
    submission_for,
    submissions_visible_to,
    untriaged_count,
)
from asylon.intake.tests.triage_helpers import in_days, png_upload, submitted
from tests.factories import OrganisationFactory, staff

pytestmark = pytest.mark.django_db


def test_queue_orders_detention_then_soon_deadline_then_later_deadline_then_age(organisation, caseworker):
    oldest_plain = submitted(organisation, days_ago=9, situations=["summons_issued"])
    newer_plain = submitted(organisation, days_ago=2, situations=["summons_issued"])
    later_deadline = submitted(organisation, days_ago=1, deadline_on=in_days(60))
    # Far away when it was sent, close now: the queue judges the deadline as of today.
    soon_second = submitted(organisation, days_ago=5, deadline_on=in_days(10))
    soon_first = submitted(organisation, days_ago=0, deadline_on=in_days(3))
    detained = submitted(organisation, days_ago=0, situations=["detention"])
    IntakeSubmission.objects.filter(pk=soon_second.pk).update(urgency=2)

    page = queue_for(user=caseworker, page=1).page

    assert [row.pk for row in page.object_list] == [
        detained.pk,
        soon_first.pk,
        soon_second.pk,
        later_deadline.pk,
        oldest_plain.pk,
        newer_plain.pk,
    ]


def test_queue_shows_only_untriaged_and_counts_each_state(organisation, caseworker):
    waiting = submitted(organisation, situations=["detention"])
    soon = submitted(organisation, deadline_on=in_days(5))
    converted = submitted(organisation)
    discarded = submitted(organisation)
    IntakeSubmission.objects.filter(pk=converted.pk).update(status=SubmissionStatus.CONVERTED)
    IntakeSubmission.objects.filter(pk=discarded.pk).update(status=SubmissionStatus.DISCARDED)

    result = queue_for(user=caseworker, page=1)

    assert {row.pk for row in result.page.object_list} == {waiting.pk, soon.pk}
    assert result.counts.untriaged == 2
    assert result.counts.detention == 1
    assert result.counts.deadline_soon == 1
    assert (result.counts.converted, result.counts.discarded) == (1, 1)
    assert untriaged_count(caseworker) == 2


def test_queue_pages_hold_25_and_a_bad_page_number_gives_a_page(organisation, caseworker):
    for _ in range(27):
        submitted(organisation)
    first = queue_for(user=caseworker, page=1).page
    second = queue_for(user=caseworker, page="2").page
    assert len(first.object_list) == 25 and first.has_next()
    assert len(second.object_list) == 2
    assert queue_for(user=caseworker, page="not a number").page.number == 1
    assert queue_for(user=caseworker, page=99).page.number == 2


def test_another_organisations_submissions_are_neither_listed_nor_found(organisation, caseworker):
    other = OrganisationFactory()
    foreign = submitted(other)
    mine = submitted(organisation)

    assert [row.pk for row in queue_for(user=caseworker, page=1).page.object_list] == [mine.pk]
    assert queue_counts(caseworker).untriaged == 1
    with pytest.raises(IntakeSubmission.DoesNotExist):
        submission_for(user=caseworker, pk=foreign.pk)


@pytest.mark.parametrize("role", [Role.ORG_ADMIN, Role.CASEWORKER, Role.LAWYER])
def test_the_triage_roles_read_submissions(organisation, role):
    user = staff(organisation, role)
    submission = submitted(organisation)
    assert submission_for(user=user, pk=submission.pk) == submission


@pytest.mark.parametrize("role", [Role.ANALYST, Role.VIEWER, Role.AUDITOR])
def test_analysts_viewers_and_auditors_see_no_submission(organisation, role):
    user = staff(organisation, role)
    submission = submitted(organisation)
    assert not submissions_visible_to(user).exists()
    assert list(queue_for(user=user, page=1).page.object_list) == []
    assert untriaged_count(user) == 0
    with pytest.raises(IntakeSubmission.DoesNotExist):
        submission_for(user=user, pk=submission.pk)


def test_a_user_without_membership_sees_nothing(organisation):
    from tests.factories import UserFactory

    submitted(organisation)
    assert untriaged_count(UserFactory()) == 0


def test_files_are_read_only_through_their_submission(organisation, caseworker):
    submission = submitted(organisation, files=[png_upload()])
    other = submitted(organisation)
    (intake_file,) = files_of(user=caseworker, submission=submission)
    assert file_for(user=caseworker, submission_id=submission.pk, file_id=intake_file.pk) == intake_file
    with pytest.raises(type(intake_file).DoesNotExist):
        file_for(user=caseworker, submission_id=other.pk, file_id=intake_file.pk)
    outsider = staff(OrganisationFactory(), Role.CASEWORKER)
    with pytest.raises(type(intake_file).DoesNotExist):
        file_for(user=outsider, submission_id=submission.pk, file_id=intake_file.pk)


def test_the_read_audit_notes_the_page_shown(organisation, caseworker):
    shown = [submitted(organisation) for _ in range(3)]
    token = audit_context.begin(None)
    try:
        queue_for(user=caseworker, page=1)
        request_audit = audit_context.current()
    finally:
        audit_context.end(token)
    assert request_audit is not None
    assert set(request_audit.shown["intake.intakesubmission"]) == {str(s.pk) for s in shown}
