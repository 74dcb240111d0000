"""Where the case pages send the user back to."""

from __future__ import annotations

from django.urls import reverse

from asylon.cases.models import Case


def case_url(case: Case) -> str:
    """The case page."""
    return reverse("cases:case_detail", args=[case.pk])
