"""Abstract bases: UUID primary keys generated in Python, timestamps, and the owning organisation."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.db.models.expressions import Combinable

    from asylon.accounts.models import Organisation


class UUIDModel(models.Model):
    """A UUID primary key set at construction, so encryption can bind to it before the first save."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.model_name}:{self.pk}"


def organisation_key(*, indexed: bool = True) -> models.ForeignKey[Organisation | Combinable, Organisation]:
    """The owning organisation. A model whose composite indexes lead with it passes indexed=False: a
    single-column index beside them serves no query and costs every insert (docs/import.md)."""
    return models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+", db_index=indexed)


class OrganisationOwned(UUIDModel):
    """A row that belongs to exactly one organisation."""

    organisation = organisation_key()

    class Meta:
        abstract = True


class DatePrecision(models.TextChoices):
    DAY = "day", _("exact day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")
    APPROXIMATE = "approximate", _("approximate")
