"""Documents (metadata here; the encrypted file lives in private storage), custody and public sources."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from asylon.common.encrypted import EncryptedTextField
from asylon.common.models import OrganisationOwned


class Reliability(models.TextChoices):
    HIGH = "high", _("high")
    MEDIUM = "medium", _("medium")
    LOW = "low", _("low")
    UNKNOWN = "unknown", _("unknown")


class Source(OrganisationOwned):
    """A public citation (law, article, statistic, report) that events and figures point to."""

    title = models.CharField(_("title"), max_length=400)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    url = models.URLField(_("address"), max_length=500, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    accessed_on = models.DateField(_("accessed on"), null=True, blank=True)
    reliability = models.CharField(
        _("reliability"), max_length=10, choices=Reliability.choices, default=Reliability.UNKNOWN
    )
    citation = models.TextField(_("citation"), blank=True)


class RedactionLevel(models.TextChoices):
    NONE = "none", _("none")
    PARTIAL = "partial", _("partially redacted")
    FULL = "full", _("not for disclosure")


class Document(OrganisationOwned):
    """An uploaded file. Name, description and digest are encrypted; the blob is encrypted in storage."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="documents")
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    event = models.ForeignKey("cases.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="documents")
    filename = EncryptedTextField(_("file name"), max_length=255)
    description = EncryptedTextField(_("description"))
    # Both digests (docs/security/documents.md): of the bytes as received, and as stored after metadata stripping.
    received_sha256 = EncryptedTextField(_("SHA-256 as received"), max_length=64)
    sha256 = EncryptedTextField(_("SHA-256 as stored"), max_length=64)
    content_type = models.CharField(_("type"), max_length=100)  # sniffed from the bytes, from the allow-list
    size = models.PositiveBigIntegerField(_("size in bytes"))
    blob_name = models.CharField(max_length=100, unique=True)
    uploaded_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    redaction_level = models.CharField(
        _("redaction"), max_length=10, choices=RedactionLevel.choices, default=RedactionLevel.NONE
    )
    consent_to_publish = models.BooleanField(_("consent to publish"), default=False)


class CustodyAction(models.TextChoices):
    RECEIVED = "received", _("received")
    VIEWED = "viewed", _("viewed")
    DOWNLOADED = "downloaded", _("downloaded")
    EXPORTED = "exported", _("exported")
    DELETED = "deleted", _("deleted")


class CustodyEntry(OrganisationOwned):
    """Chain of custody: every access to a document."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="custody")
    actor = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(_("action"), max_length=12, choices=CustodyAction.choices)

    class Meta:
        verbose_name_plural = _("custody entries")
