"""Writes of the registry of cited outside figures: each with its value, period, population and source."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from asylon.accounts.models import Organisation
from asylon.accounts.permissions import require
from asylon.audit import services as audit
from asylon.common.services import assign, reject_unknown_fields
from asylon.evidence.models import Source
from asylon.evidence.services import source_create
from asylon.reports.models import ExternalStatistic

CHANGE_REPORT = "reports.change_report"
STATISTIC_FIELDS = frozenset(
    {"code", "label", "value", "qualifier", "unit", "period_start", "period_end", "population", "source"}
)
# A new citation entered with the figure: the fields of evidence.Source, named with this prefix in forms and errors.
NEW_SOURCE_PREFIX = "source_"


def _authorise(actor: Any, organisation: Organisation) -> None:
    if actor is not None:  # None: the system, loading reference figures
        require(actor, CHANGE_REPORT, organisation)


def _check(statistic: ExternalStatistic) -> None:
    """Validate everything but the source (which may not exist yet)."""
    errors: dict[str, list[str]] = {}
    try:
        statistic.full_clean(exclude=["source"])
    except ValidationError as error:
        errors.update(error.message_dict)
    if statistic.period_start and statistic.period_end and statistic.period_end < statistic.period_start:
        errors.setdefault("period_end", []).append(_("The period cannot end before it starts."))
    if errors:
        raise ValidationError(errors)


def _check_source(source: Any, organisation: Organisation) -> None:
    if not isinstance(source, Source) or source.organisation_id != organisation.pk:
        raise ValidationError({"source": _("Choose a source of this organisation.")})


def _new_source(*, actor: Any, organisation: Organisation, citation: dict[str, Any]) -> Source:
    """Record the citation entered with the figure; its errors are named as the form names its fields."""
    try:
        return source_create(actor=actor, organisation=organisation, authorised_by=CHANGE_REPORT, **citation)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise ValidationError(
                {f"{NEW_SOURCE_PREFIX}{name}": errors for name, errors in error.error_dict.items()}
            ) from error
        raise


def _source_of(
    *, actor: Any, organisation: Organisation, source: Source | None, new_source: dict[str, Any] | None
) -> Source:
    if (source is None) == (not new_source):
        raise ValidationError({"source": _("Choose a source or enter a new citation, not both.")})
    if new_source:
        return _new_source(actor=actor, organisation=organisation, citation=new_source)
    _check_source(source, organisation)
    return source  # type: ignore[return-value]


@transaction.atomic
def external_statistic_create(
    *,
    actor: Any,
    organisation: Organisation,
    code: str,
    label: str,
    value: Any,
    source: Source | None = None,
    new_source: dict[str, Any] | None = None,
    **fields: Any,
) -> ExternalStatistic:
    """Register an outside figure, citing an existing source or a new one (`new_source`: Source fields)."""
    _authorise(actor, organisation)
    reject_unknown_fields(fields, STATISTIC_FIELDS)
    statistic = ExternalStatistic(organisation=organisation, code=code, label=label, value=value, **fields)
    _check(statistic)
    statistic.source = _source_of(actor=actor, organisation=organisation, source=source, new_source=new_source)
    statistic.save()
    audit.record(actor=actor, action="external_statistic.create", target=statistic, details={"code": code})
    return statistic


@transaction.atomic
def external_statistic_update(
    *, actor: Any, statistic: ExternalStatistic, new_source: dict[str, Any] | None = None, **fields: Any
) -> ExternalStatistic:
    """Correct an outside figure; `new_source` records a new citation and cites it instead."""
    organisation = statistic.organisation
    _authorise(actor, organisation)
    reject_unknown_fields(fields, STATISTIC_FIELDS)
    if new_source and "source" in fields:
        raise ValidationError({"source": _("Choose a source or enter a new citation, not both.")})
    source = fields.pop("source", None)
    changed = [name for name, value in fields.items() if assign(statistic, name, value)]
    _check(statistic)
    if source is not None or new_source:
        source = _source_of(actor=actor, organisation=organisation, source=source, new_source=new_source)
        if assign(statistic, "source", source):
            changed.append("source")
    if changed:
        statistic.save()
        audit.record(
            actor=actor,
            action="external_statistic.update",
            target=statistic,
            changed_fields=changed,
            details={"code": statistic.code},
        )
    return statistic


@transaction.atomic
def external_statistic_delete(*, actor: Any, statistic: ExternalStatistic) -> None:
    """Remove an outside figure from the registry (its source stays: events or other figures may cite it)."""
    _authorise(actor, statistic.organisation)
    # A queryset delete leaves the instance's id in place for the audit entry, recorded last (it locks the chain).
    ExternalStatistic.objects.filter(pk=statistic.pk).delete()
    audit.record(actor=actor, action="external_statistic.delete", target=statistic, details={"code": statistic.code})
