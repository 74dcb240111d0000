"""submission_for_codename: the lookup key finds the row, the Argon2id verifier decides; nothing for the rest."""

import pytest

from asylon.intake import codename as codenames
from asylon.intake.models import IntakeSubmission, SubmissionStatus
from asylon.intake.services.submissions import submission_for_codename
from asylon.intake.tests.services.conftest import submit


def test_the_codename_opens_its_submission_however_it_is_typed(organisation):
    submission, codename = submit(organisation)
    words = codename.split("-")
    for typed in (codename, codename.upper(), " " + " ".join(words) + " ", "_".join(words), "..".join(words)):
        found = submission_for_codename(codename=typed)
        assert found is not None and found.pk == submission.pk


@pytest.mark.parametrize("wrong", ["", "   ", "-", "no-such-codename-here-at-all-today", "x" * 5000, None, 42])
def test_unknown_or_malformed_codenames_open_nothing(organisation, wrong):
    submit(organisation)
    assert submission_for_codename(codename=wrong) is None


def test_a_right_lookup_key_with_a_wrong_verifier_opens_nothing(organisation):
    submission, codename = submit(organisation)
    IntakeSubmission.objects.filter(pk=submission.pk).update(verifier=codenames.make_verifier("another-codename"))
    assert submission_for_codename(codename=codename) is None
    IntakeSubmission.objects.filter(pk=submission.pk).update(verifier="not an argon2 hash")
    assert submission_for_codename(codename=codename) is None


def test_one_codename_does_not_open_another_submission(organisation):
    first, first_codename = submit(organisation)
    second, second_codename = submit(organisation)
    assert first_codename != second_codename
    assert submission_for_codename(codename=first_codename).pk == first.pk
    assert submission_for_codename(codename=second_codename).pk == second.pk


def test_a_discarded_submission_is_not_opened(organisation):
    submission, codename = submit(organisation)
    IntakeSubmission.objects.filter(pk=submission.pk).update(status=SubmissionStatus.DISCARDED)
    assert submission_for_codename(codename=codename) is None


def test_a_converted_submission_still_opens_for_replies(organisation):
    submission, codename = submit(organisation)
    IntakeSubmission.objects.filter(pk=submission.pk).update(status=SubmissionStatus.CONVERTED)
    assert submission_for_codename(codename=codename).pk == submission.pk
