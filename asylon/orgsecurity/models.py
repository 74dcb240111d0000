"""Four-eyes second-factor resets (docs/orgsecurity.md): one admin asks, another approves.

A request names the account, the reason as a code (never free text: no personal value is kept),
who asked and, once decided, who approved or refused it. A pending request expires after
`FactorResetRequest.LIFETIME`; an expired request can no longer be approved.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from asylon.common.models import OrganisationOwned


class FactorResetReason(models.TextChoices):
    LOST = "lost", _("the device holding the factor was lost")
    STOLEN = "stolen", _("the device holding the factor was stolen or taken")
    BROKEN = "broken", _("the device holding the factor broke or was reset")
    REPLACED = "replaced", _("the person moved to a new device without transferring the factor")
    OTHER = "other", _("another reason")


class FactorResetStatus(models.TextChoices):
    PENDING = "pending", _("waiting for a second admin")
    APPROVED = "approved", _("approved: second factors removed")
    REFUSED = "refused", _("refused by a second admin")
    CANCELLED = "cancelled", _("withdrawn by the admin who asked")
    EXPIRED = "expired", _("expired before a second admin decided")


class FactorResetRequest(OrganisationOwned):
    """Admin A asks to remove every second factor of a member; admin B (neither A nor the member) decides."""

    LIFETIME = datetime.timedelta(hours=72)

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="factor_reset_requests", verbose_name=_("account")
    )
    requested_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    reason = models.CharField(_("reason"), max_length=20, choices=FactorResetReason.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=FactorResetStatus.choices, default=FactorResetStatus.PENDING
    )
    expires_at = models.DateTimeField(_("expires"))
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=Q(status="pending"),
                name="one_pending_factor_reset_per_account",
            )
        ]

    @property
    def is_expired(self) -> bool:
        return self.status == FactorResetStatus.PENDING and self.expires_at <= timezone.now()

    @property
    def is_open(self) -> bool:
        """Pending and not yet past its expiry: a second admin may still approve or refuse it."""
        return self.status == FactorResetStatus.PENDING and not self.is_expired
