"""Public sources of an organisation: laws, articles, statistics and reports that events cite."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from asylon.accounts.models import Organisation
from asylon.accounts.permissions import require
from asylon.audit import services as audit
from asylon.cases.models import Event
from asylon.common.services import reject_unknown_fields
from asylon.evidence.models import Source

SOURCE_FIELDS = frozenset({"publisher", "url", "published_on", "accessed_on", "reliability", "citation"})


@transaction.atomic
def source_create(
    *,
    actor: Any,
    organisation: Organisation,
    title: str,
    event: Event | None = None,
    authorised_by: str = "evidence.change_source",
    **fields: Any,
) -> Source:
    """Record a public source of the organisation, optionally cited by one event.

    `actor` None is the system (reference data); `authorised_by` lets another service's permission
    stand for this one (an analyst citing the source of an outside figure, reports.change_report)."""
    if actor is not None:
        require(actor, authorised_by, organisation)
    reject_unknown_fields(fields, SOURCE_FIELDS)
    if event is not None:
        require(actor, "cases.change_event", event.case)
        if event.organisation_id != organisation.pk:
            raise ValidationError({"event": _("This event belongs to another organisation.")})
    source = Source(organisation=organisation, title=title, **fields)
    source.full_clean()
    if source.published_on and source.accessed_on and source.accessed_on < source.published_on:
        raise ValidationError({"accessed_on": _("A source cannot be accessed before it was published.")})
    source.save()
    if event is not None:
        event.sources.add(source)
    audit.record(
        actor=actor,
        action="source.create",
        target=source,
        details={"event": str(event.pk)} if event is not None else None,
    )
    return source
