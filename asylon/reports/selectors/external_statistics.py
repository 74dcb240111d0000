"""Reads of the cited outside figures: an organisation's registry, one figure by code, and what a user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from asylon.accounts.models import Organisation
from asylon.accounts.selectors import organisations_for
from asylon.evidence.models import Source
from asylon.reports.models import ExternalStatistic
from asylon.reports.selectors.reports import READ


def external_statistics_of(*, organisation: Organisation) -> QuerySet[ExternalStatistic]:
    """The organisation's outside figures with their sources, by code."""
    return ExternalStatistic.objects.filter(organisation=organisation).select_related("source").order_by("code")


def external_statistic_get(*, organisation: Organisation, code: str) -> ExternalStatistic:
    """One outside figure by the code reports use (ExternalStatistic.DoesNotExist when there is none)."""
    return external_statistics_of(organisation=organisation).get(code=code)


def external_statistic_find(*, user: Any, statistic_id: Any) -> ExternalStatistic:
    """One outside figure of an organisation where the user may view statistics (DoesNotExist otherwise)."""
    organisations = organisations_for(user, READ)
    return ExternalStatistic.objects.select_related("source").get(organisation__in=organisations, pk=statistic_id)


def sources_of(*, organisation: Organisation) -> QuerySet[Source]:
    """The organisation's public sources, to cite one for a figure."""
    return Source.objects.filter(organisation=organisation).order_by("title", "created_at")
