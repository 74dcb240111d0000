"""Public intake: a submission (encrypted payload, codename lookup key and verifier, triage state), its messages
and files (docs/intake.md, "How submissions are stored").

Nothing about the person beyond what they typed is kept: no address, no user agent, and no time finer than the
hour (the service rounds `created_at` and `updated_at`), so a row cannot be matched against network logs.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from asylon.common.encrypted import EncryptedTextField
from asylon.common.models import OrganisationOwned


class Urgency(models.IntegerChoices):
    """How soon someone must act, computed at submission from the situations and the deadline given."""

    DETENTION = 0, _("detention")
    DEADLINE_SOON = 1, _("deadline within 14 days")
    DEADLINE = 2, _("deadline later")
    NONE = 3, _("no deadline given")


class SubmissionStatus(models.TextChoices):
    UNTRIAGED = "untriaged", _("untriaged")
    CONVERTED = "converted", _("converted into a case")
    DISCARDED = "discarded", pgettext_lazy("help-form submission", "discarded")


class IntakeSubmission(OrganisationOwned):
    """What someone sent through the public help form. Only the codename's keyed digest and an Argon2id verifier
    identify it; the codename itself is shown once and never stored."""

    lookup_key = models.CharField(max_length=64, unique=True)
    verifier = models.CharField(max_length=200)
    # JSON of the form as submitted: name, contact, situations, deadline_on, text, language.
    payload = EncryptedTextField(_("submission"))
    language = models.CharField(_("language"), max_length=10)
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Urgency.choices, default=Urgency.NONE)
    deadline_on = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.UNTRIAGED
    )
    triaged_at = models.DateTimeField(_("triaged at"), null=True, blank=True)
    triaged_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    discard_reason = EncryptedTextField(_("reason for discarding"))
    converted_case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="intake_submissions"
    )
    message_count = models.PositiveIntegerField(default=0)
    # The day, not the time: enough for the status page and the queue, useless for correlation.
    last_public_message_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["urgency", "deadline_on", "created_at"]
        indexes = [models.Index(fields=["organisation", "status", "urgency"], name="intake_queue_idx")]


class MessageDirection(models.TextChoices):
    FROM_PERSON = "from_person", _("from the person")
    FROM_STAFF = "from_staff", _("from the organisation")


class IntakeMessage(OrganisationOwned):
    """A message on a submission: more from the person (status page) or a reply from staff."""

    submission = models.ForeignKey(IntakeSubmission, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(_("direction"), max_length=12, choices=MessageDirection.choices)
    body = EncryptedTextField(_("message"))
    author = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    seq = models.PositiveIntegerField()

    class Meta:
        ordering = ["submission", "seq"]
        constraints = [models.UniqueConstraint(fields=["submission", "seq"], name="intake_message_seq_unique")]


class IntakeFile(OrganisationOwned):
    """A file sent with a submission or a later message; the blob is encrypted in private storage."""

    submission = models.ForeignKey(IntakeSubmission, on_delete=models.CASCADE, related_name="files")
    message = models.ForeignKey(IntakeMessage, null=True, blank=True, on_delete=models.CASCADE, related_name="files")
    filename = EncryptedTextField(_("file name"), max_length=255)
    sha256 = EncryptedTextField(_("SHA-256 as stored"), max_length=64)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    blob_name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["created_at"]
