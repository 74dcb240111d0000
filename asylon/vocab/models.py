"""Controlled vocabularies (HURIDOCS-aligned, translated) and legal rules for deadlines, kept as data."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from asylon.common.models import UUIDModel

LANGUAGE_CODES = ("en", "be", "ru", "uk", "lt")


class Vocabulary(UUIDModel):
    """A controlled list (event types, grounds, outcomes, ...). Instance-wide when `organisation` is NULL."""

    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    code = models.SlugField(_("code"), max_length=64)
    labels = models.JSONField(_("labels"), default=dict, help_text=_("Label per language code"))

    class Meta:
        verbose_name_plural = _("vocabularies")
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(organisation__isnull=True), name="vocabulary_code_instance"
            ),
            models.UniqueConstraint(fields=["organisation", "code"], name="vocabulary_code_per_org"),
        ]

    def __str__(self) -> str:
        return self.code

    def label(self, language: str | None = None) -> str:
        return localised(self.labels, language) or self.code


class Term(UUIDModel):
    """One value of a vocabulary. An organisation's term with the same code overrides the instance's."""

    vocabulary = models.ForeignKey(Vocabulary, on_delete=models.CASCADE, related_name="terms")
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    code = models.SlugField(_("code"), max_length=64)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    labels = models.JSONField(_("labels"), default=dict)
    huridocs_code = models.CharField(_("HURIDOCS code"), max_length=16, blank=True)
    version = models.PositiveIntegerField(default=1)
    active = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["vocabulary", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["vocabulary", "code"], condition=Q(organisation__isnull=True), name="term_code_instance"
            ),
            models.UniqueConstraint(fields=["vocabulary", "organisation", "code"], name="term_code_per_org"),
        ]

    def __str__(self) -> str:
        return self.code

    def label(self, language: str | None = None) -> str:
        return localised(self.labels, language) or self.code


def localised(labels: dict[str, str], language: str | None = None) -> str:
    """The label in the active (or given) language, falling back to English."""
    language = (language or translation.get_language() or "en").split("-")[0]
    return labels.get(language) or labels.get("en", "")


class PeriodUnit(models.TextChoices):
    DAYS = "days", _("calendar days")
    WORKING_DAYS = "working_days", _("working days")
    MONTHS = "months", _("months")


class StartEvent(models.TextChoices):
    SERVED = "served", _("decision served")
    DECIDED = "decided", _("decision taken")
    LODGED = "lodged", _("application lodged")


class VerificationStatus(models.TextChoices):
    VERIFIED = "verified", _("verified against the official text")
    SECONDARY = "secondary_source", _("from a secondary source")
    UNVERIFIED = "unverified", _("unverified")


# The fields that state what a rule says (period, start, source); loaded from data and editable.
LEGAL_RULE_TERMS = (
    "title",
    "instrument",
    "article",
    "period_value",
    "period_unit",
    "start_event",
    "roll_forward_to_working_day",
    "source_url",
    "source_title",
    "verification_status",
)


class LegalRule(UUIDModel):
    """A time limit that follows from law: for a decision type in a jurisdiction, a period from a start event."""

    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    code = models.SlugField(_("code"), max_length=80)
    jurisdiction = models.CharField(_("jurisdiction"), max_length=2, help_text=_("ISO 3166-1 alpha-2"))
    decision_type = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="legal_rules")
    deadline_kind = models.SlugField(_("deadline kind"), max_length=40, help_text=_("for example appeal"))
    title = models.JSONField(_("title"), default=dict, help_text=_("Title per language code"))
    instrument = models.CharField(_("legal instrument"), max_length=200)
    article = models.CharField(_("article"), max_length=60, blank=True)
    period_value = models.PositiveSmallIntegerField(_("period"))
    period_unit = models.CharField(_("unit"), max_length=16, choices=PeriodUnit.choices)
    start_event = models.CharField(_("starts at"), max_length=16, choices=StartEvent.choices)
    roll_forward_to_working_day = models.BooleanField(
        _("move to the next working day"),
        default=True,
        help_text=_("A time limit ending on a weekend or public holiday ends on the next working day."),
    )
    decided_by = models.ForeignKey(
        Term,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("applies to decisions by"),
        help_text=_("The decision maker whose decisions this rule governs; empty for any."),
    )
    forum = models.ForeignKey(
        Term, null=True, blank=True, on_delete=models.PROTECT, related_name="+", help_text=_("Where to lodge")
    )
    source_url = models.URLField(_("source"), max_length=500)
    source_title = models.CharField(_("source title"), max_length=300)
    verification_status = models.CharField(_("verification"), max_length=20, choices=VerificationStatus.choices)
    valid_from = models.DateField(_("in force from"), null=True, blank=True)
    valid_until = models.DateField(_("in force until"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(organisation__isnull=True), name="legalrule_code_instance"
            ),
            models.UniqueConstraint(fields=["organisation", "code"], name="legalrule_code_per_org"),
        ]

    def __str__(self) -> str:
        return self.code

    def label(self, language: str | None = None) -> str:
        return localised(self.title, language) or self.code
