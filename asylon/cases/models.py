"""Cases and what happens in them (ESF events, decisions, proceedings, interventions) and the work
on them (deadlines, tasks, notes). Narratives and exact dates are encrypted; year and month are clear."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from asylon.cases.statuses import StatusKind
from asylon.common.encrypted import EncryptedDateField, EncryptedTextField
from asylon.common.models import DatePrecision, OrganisationOwned, organisation_key
from asylon.common.validators import country_code, month_number, not_in_future, plausible_year


class CaseStatus(models.TextChoices):
    OPEN = "open", _("open")
    DORMANT = "dormant", _("dormant")
    CLOSED = "closed", _("closed")


class Risk(models.TextChoices):
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")
    CRITICAL = "critical", _("critical")


class Case(OrganisationOwned):
    """A matter the organisation works on for one or more persons."""

    organisation = organisation_key(indexed=False)  # `case_reference_per_org` and `case_org_status` lead with it
    reference = models.CharField(_("reference"), max_length=40)
    status = models.CharField(_("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    risk = models.CharField(_("risk"), max_length=10, choices=Risk.choices, default=Risk.MEDIUM)
    jurisdiction = models.CharField(_("jurisdiction"), max_length=2, default="LT", validators=[country_code])
    lead_assignee = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("lead")
    )
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    summary = EncryptedTextField(_("summary"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "reference"], name="case_reference_per_org")]
        indexes = [
            models.Index(fields=["organisation", "status"], name="case_org_status"),
            # The case list's default order: the database walks this index and stops after a page.
            models.Index(fields=["-opened_on", "reference"], name="case_newest_first"),
        ]


class PartyRole(models.TextChoices):
    CLIENT = "client", _("client")
    CO_APPLICANT = "co_applicant", _("co-applicant")
    RELATIVE = "relative", _("relative")
    WITNESS = "witness", _("witness")


class CaseParty(OrganisationOwned):
    """A person's part in a case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties", db_index=False)  # see Meta
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="case_parties")
    role = models.CharField(_("role"), max_length=20, choices=PartyRole.choices, default=PartyRole.CLIENT)

    class Meta:
        # Also the index of `case` (its leading column).
        constraints = [models.UniqueConstraint(fields=["case", "person"], name="one_party_role_per_case")]


class CaseMembership(OrganisationOwned):
    """Need-to-know: which staff may open a case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="memberships", db_index=False)  # see Meta
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="case_memberships")

    class Meta:
        # Also the index of `case` (its leading column).
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="one_membership_per_case")]


class ViolationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed")
    LIKELY = "likely", _("likely")
    POSSIBLE = "possible", _("possible")
    UNLIKELY = "unlikely", _("unlikely")


class Event(OrganisationOwned):
    """An ESF act: what was done to whom, when (with precision), where, by whom, with which sources."""

    # No single-column indexes of the organisation, type and year: the two composite indexes below
    # lead with the organisation and the type, and every query of events names the organisation.
    organisation = organisation_key(indexed=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("victim"),
    )
    event_type = models.ForeignKey(
        "vocab.Term", on_delete=models.PROTECT, related_name="+", verbose_name=_("type"), db_index=False
    )
    occurred_on = EncryptedDateField(_("date"), validators=[not_in_future])
    date_precision = models.CharField(_("date precision"), max_length=12, choices=DatePrecision.choices)
    year = models.PositiveSmallIntegerField(_("year"), validators=[plausible_year])
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True, validators=[month_number])
    country = models.CharField(_("country"), max_length=2, blank=True, validators=[country_code])
    region = models.CharField(_("region"), max_length=60, blank=True)
    perpetrator = models.ForeignKey(
        "vocab.Term",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("perpetrator or decision maker"),
    )
    description = EncryptedTextField(_("description"))
    violation_status = models.CharField(
        _("violation status"), max_length=10, choices=ViolationStatus.choices, default=ViolationStatus.POSSIBLE
    )
    alert_safe = models.BooleanField(_("publicity cannot harm the person"), default=False)
    consent_to_publish = models.BooleanField(_("consent to publish"), default=False)
    sources = models.ManyToManyField("evidence.Source", blank=True, related_name="events")

    class Meta:
        indexes = [
            # Statistics: an organisation's events of some types, their year, month and person, read
            # from the index alone (no table row per event) when no other field is asked.
            models.Index(fields=["organisation", "event_type", "year", "month", "person"], name="event_stats_people"),
            # The case list's type filter reads the cases of a type from this index alone.
            models.Index(fields=["event_type", "case"], name="event_type_cases"),
        ]


class Decision(OrganisationOwned):
    """A decision by an authority: type, maker, outcome, grounds cited, and when it was served."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions")
    event = models.OneToOneField(Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="decision")
    decision_type = models.ForeignKey("vocab.Term", on_delete=models.PROTECT, related_name="+", verbose_name=_("type"))
    decision_maker = models.ForeignKey(
        "vocab.Term", on_delete=models.PROTECT, related_name="+", verbose_name=_("decision maker")
    )
    outcome = models.ForeignKey(
        "vocab.Term", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("outcome")
    )
    grounds = models.ManyToManyField("vocab.Term", blank=True, related_name="+", verbose_name=_("grounds cited"))
    decided_on = EncryptedDateField(_("decided on"), validators=[not_in_future])
    served_on = EncryptedDateField(_("served on"), validators=[not_in_future])
    served_year = models.PositiveSmallIntegerField(null=True, blank=True)
    served_month = models.PositiveSmallIntegerField(null=True, blank=True)
    reference_number = EncryptedTextField(_("decision number"), max_length=100)

    class Meta:
        # The case list's type filter reads the cases of a decision type from this index alone.
        indexes = [models.Index(fields=["decision_type", "case"], name="decision_type_cases")]


class ProceedingTier(models.TextChoices):
    FIRST_INSTANCE = "first_instance", _("first instance (administrative)")
    APPEAL_TIER1 = "appeal_tier1", _("court, first tier")
    APPEAL_TIER2 = "appeal_tier2", _("court, second tier")
    INTERNATIONAL = "international", _("international body")


class Proceeding(OrganisationOwned):
    """An appeal or complaint at one tier, from lodging to outcome."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="proceedings")
    decision = models.ForeignKey(
        Decision,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proceedings",
        verbose_name=_("decision challenged"),
    )
    tier = models.CharField(_("tier"), max_length=20, choices=ProceedingTier.choices)
    court = models.ForeignKey("vocab.Term", on_delete=models.PROTECT, related_name="+", verbose_name=_("court or body"))
    lodged_on = EncryptedDateField(_("lodged on"))
    lodged_year = models.PositiveSmallIntegerField(null=True, blank=True)
    outcome = models.ForeignKey(
        "vocab.Term", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("outcome")
    )
    decided_year = models.PositiveSmallIntegerField(null=True, blank=True)
    court_reference = EncryptedTextField(_("court reference"), max_length=100)


class Hearing(OrganisationOwned):
    """A scheduled hearing of a proceeding (operational date, kept clear for the calendar)."""

    proceeding = models.ForeignKey(Proceeding, on_delete=models.CASCADE, related_name="hearings")
    scheduled_for = models.DateTimeField(_("scheduled for"))
    notes = EncryptedTextField(_("notes"))

    @property
    def case(self) -> Case:
        return self.proceeding.case


class Intervention(OrganisationOwned):
    """What the organisation did: legal aid, letters, alerts, press work, and the response."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="interventions")
    intervention_type = models.ForeignKey(
        "vocab.Term", on_delete=models.PROTECT, related_name="+", verbose_name=_("type")
    )
    carried_out_on = models.DateField(_("date"))
    performed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    addressee = models.CharField(_("addressed to"), max_length=200, blank=True)
    description = EncryptedTextField(_("description"))
    response = EncryptedTextField(_("response"))


class DeadlineStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("deadline", "open")
    MET = "met", _("met")
    MISSED = "missed", _("missed")
    CANCELLED = "cancelled", _("cancelled")


class Deadline(OrganisationOwned):
    """A time limit, computed from a decision through a LegalRule or entered by hand."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.CASCADE, related_name="deadlines")
    legal_rule = models.ForeignKey("vocab.LegalRule", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.SlugField(_("kind"), max_length=40)
    title = EncryptedTextField(_("title"), max_length=300)  # hand-entered deadlines: what is due, in words
    due_on = models.DateField(_("due on"), db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=DeadlineStatus.choices, default=DeadlineStatus.OPEN)
    computation = models.JSONField(default=dict, blank=True, help_text=_("How the date was computed"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "legal_rule"], condition=Q(decision__isnull=False), name="one_deadline_per_rule"
            )
        ]


class Task(OrganisationOwned):
    """A piece of work with an assignee and a due date."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    title = EncryptedTextField(_("title"), max_length=300)
    assignee = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    due_on = models.DateField(_("due on"), null=True, blank=True, db_index=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")


class Note(OrganisationOwned):
    """A case note; privileged notes (lawyer-client) are readable by lawyers only."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    body = EncryptedTextField(_("note"))
    privileged = models.BooleanField(_("privileged (lawyers only)"), default=False)


class StatusPeriod(OrganisationOwned):
    """A dated status of a person in a case (residence, procedure, liberty, document)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_periods")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="status_periods")
    kind = models.CharField(_("kind"), max_length=10, choices=StatusKind.choices)
    status = models.CharField(_("status"), max_length=30)
    started_on = EncryptedDateField(_("from"))
    ended_on = EncryptedDateField(_("until"))
    start_year = models.PositiveSmallIntegerField(null=True, blank=True)
    start_month = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_days = models.PositiveIntegerField(null=True, blank=True, help_text=_("Kept clear for statistics"))
    current = models.BooleanField(default=True, db_index=True)

    class Meta:
        # The statistics of detention and entry bans read one kind and status of an organisation's
        # periods from this index instead of scanning every period (SQLite, 100,000 persons: 130 -> 8 ms).
        indexes = [models.Index(fields=["organisation", "kind", "status"], name="status_period_stats")]
