"""Imports: saved column mappings, import runs (their encrypted report), and the identity of imported rows."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from asylon.common.encrypted import EncryptedJSONField, EncryptedTextField
from asylon.common.models import OrganisationOwned


class ImportProfile(OrganisationOwned):
    """A saved column mapping {column header: target key} and its options (date order), by name."""

    name = models.CharField(pgettext_lazy("mapping profile", "name"), max_length=100)
    mapping = models.JSONField(_("column mapping"), default=dict)
    options = models.JSONField(_("options"), default=dict, blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("import profile")
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="import_profile_name_per_org")]


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("uploaded")
    CHECKING = "checking", _("checking")
    CHECKED = "checked", _("checked")
    IMPORTING = "importing", _("importing")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")
    DISCARDED = "discarded", pgettext_lazy("import run", "discarded")


class ImportMode(models.TextChoices):
    ALL = "all", _("all rows or nothing")
    VALID_ONLY = "valid_only", _("valid rows only, with an error file of the rest")


# The largest import the limits allow (500,000 rows) takes minutes here (docs/benchmarks.md).
STALLED_AFTER = datetime.timedelta(hours=2)


class ImportRun(OrganisationOwned):
    """One file on its way in: uploaded, mapped, checked (dry run), imported or discarded.

    The file itself lives encrypted in private storage until the run ends; the report (problems
    quote cell values) is encrypted; `counts` holds numbers only.
    """

    actor = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    profile = models.ForeignKey(ImportProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="runs")
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.UPLOADED)
    mode = models.CharField(_("mode"), max_length=10, choices=ImportMode.choices, default=ImportMode.ALL)
    file_name = EncryptedTextField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=4)
    file_size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    file_stored = models.BooleanField(default=False)
    error_file_stored = models.BooleanField(default=False)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    options = models.JSONField(_("options"), default=dict, blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    report = EncryptedJSONField(_("report"))
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import run")
        indexes = [models.Index(fields=["organisation", "-created_at"], name="import_run_newest")]

    @property
    def running(self) -> bool:
        return self.status in (ImportStatus.CHECKING, ImportStatus.IMPORTING)

    @property
    def stalled(self) -> bool:
        """Still "running" long after any import could have ended: its worker stopped (killed, restarted)
        and its transaction went with it, so nothing was written and the run may be discarded."""
        return self.running and self.updated_at < timezone.now() - STALLED_AFTER


class ImportedKind(models.TextChoices):
    PERSON = "person", _("person")
    EVENT = "event", _("event")


class ImportedRecord(models.Model):
    """The identity of an imported row: a keyed digest of its natural key, the object it became, and a
    digest of the values it carried (so a re-import tells unchanged from updated without decrypting)."""

    id = models.BigAutoField(primary_key=True)
    # Indexed by `imported_record_key_per_org`, which leads with it.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    kind = models.CharField(max_length=10, choices=ImportedKind.choices)
    key = models.BinaryField(max_length=32)
    object_id = models.UUIDField()
    content = models.BinaryField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind", "key"], name="imported_record_key_per_org")
        ]

    def __str__(self) -> str:
        return f"importedrecord:{self.pk}"
