"""The demo's help-form submissions: fictional, through the public service, waiting untriaged in the queue."""

from asylon.intake.demo import DEMO_SUBMISSIONS, demo_submissions_load
from asylon.intake.models import IntakeMessage, IntakeSubmission, SubmissionStatus, Urgency
from asylon.intake.services.submissions import payload_of, submission_for_codename


def test_demo_submissions_are_untriaged_and_open_with_their_codenames(organisation):
    codenames = demo_submissions_load(organisation=organisation, seed=2026)

    assert len(codenames) == len(DEMO_SUBMISSIONS) == IntakeSubmission.objects.count()
    assert set(IntakeSubmission.objects.values_list("status", flat=True)) == {SubmissionStatus.UNTRIAGED}
    assert IntakeSubmission.objects.filter(urgency=Urgency.DETENTION).count() == 1
    opened = [submission_for_codename(codename=codename) for codename in codenames]
    assert [payload_of(submission)["name"] for submission in opened] == [row[1] for row in DEMO_SUBMISSIONS]
    assert {submission.language for submission in opened} == {"en", "be", "ru", "uk", "lt"}


def test_the_seed_fixes_which_ones_have_a_follow_up(organisation):
    demo_submissions_load(organisation=organisation, seed=2026)
    first = IntakeMessage.objects.count()
    IntakeSubmission.objects.all().delete()
    demo_submissions_load(organisation=organisation, seed=2026)
    assert IntakeMessage.objects.count() == first
