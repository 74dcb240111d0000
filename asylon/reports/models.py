"""Cited outside figures and reports with their saved versions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from asylon.common.models import OrganisationOwned


class ExternalStatistic(OrganisationOwned):
    """A figure published elsewhere (ministry, press, NGO), cited with its source."""

    label = models.CharField(_("what it counts"), max_length=300)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    qualifier = models.CharField(_("as stated"), max_length=40, blank=True, help_text=_("for example about, over"))
    unit = models.CharField(pgettext_lazy("unit of measurement", "unit"), max_length=60, default="persons")
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period to"), null=True, blank=True)
    population = models.CharField(_("population"), max_length=200, blank=True)
    source = models.ForeignKey("evidence.Source", on_delete=models.PROTECT, related_name="statistics")
    code = models.SlugField(_("code"), max_length=80, help_text=_("How reports refer to it"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="external_statistic_code")]


class Report(OrganisationOwned):
    """A report written in Markdown with figure directives; each rendering is saved as a version."""

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("short name"), max_length=80)
    body = models.TextField(_("text"), blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "slug"], name="report_slug_per_org")]


class ReportVersion(OrganisationOwned):
    """A saved rendering: the text and every figure it showed, to compare with the next run."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    body = models.TextField()
    figures = models.JSONField(default=list)
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="report_version_number")]


class SuppressedPopulation(OrganisationOwned):
    """A population whose count was suppressed in some output: it stays suppressed in every output."""

    key = models.CharField(max_length=64)  # Question.key of the population; names no person

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "key"], name="suppressed_population_key")]


class ReleasedPopulation(OrganisationOwned):
    """A population an output showed (as a number or as suppressed), checked against later queries for
    differencing. created_at is its first release, updated_at its latest, count its true count then."""

    key = models.CharField(max_length=64)
    measure = models.CharField(max_length=40)
    population = models.JSONField()  # the population question in canonical form (no personal data)
    count = models.PositiveIntegerField()
    published = models.BooleanField(default=False)  # shown as a number at least once

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "key"], name="released_population_key")]
        indexes = [models.Index(fields=["organisation", "measure", "count"], name="released_population_measure")]
