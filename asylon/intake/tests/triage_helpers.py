"""Builders for the triage tests: submissions sent through the public service, with a chosen age."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from asylon.intake.models import IntakeSubmission
from asylon.intake.services.submissions import submission_create


def submitted(organisation: Any, *, days_ago: int = 0, **fields: Any) -> IntakeSubmission:
    """A submission as the help form stores it, received `days_ago` days ago (created_at moved back)."""
    values: dict[str, Any] = {
        "language": "en",
        "name": "Aliaksandr Ivanovich Kavalenka",
        "contact": "Signal: +370 600 00001",
        "situations": ["summons_issued"],
        "deadline_on": None,
        "text": "I received a summons and my residence permit was refused.",
        "files": [],
        **fields,
    }
    submission, _codename = submission_create(organisation=organisation, **values)
    if days_ago:
        moved = submission.created_at - datetime.timedelta(days=days_ago)
        IntakeSubmission.objects.filter(pk=submission.pk).update(created_at=moved)
        submission.created_at = moved
    return submission


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def png_upload(name: str = "decision.png") -> SimpleUploadedFile:
    from asylon.evidence.tests.samples import png

    return SimpleUploadedFile(name, png(), content_type="image/png")
