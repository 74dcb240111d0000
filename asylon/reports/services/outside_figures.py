"""Load the sample outside figures (data/outside_figures.json) into an organisation's registry, once."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction

from asylon.accounts.models import Organisation
from asylon.accounts.permissions import require
from asylon.evidence.models import Source
from asylon.evidence.services import source_create
from asylon.reports.models import ExternalStatistic
from asylon.reports.services.external_statistics import CHANGE_REPORT, external_statistic_create

OUTSIDE_FIGURES_FILE = Path(__file__).resolve().parent.parent / "data" / "outside_figures.json"
SOURCE_FIELDS = ("title", "publisher", "url", "published_on", "reliability", "citation")


@dataclass
class OutsideFiguresLoaded:
    """How many sources and figures a load created (none the second time)."""

    sources: int = 0
    figures: int = 0


@cache
def outside_figures_data() -> dict[str, Any]:
    """The sample file, parsed once."""
    data: dict[str, Any] = json.loads(OUTSIDE_FIGURES_FILE.read_text(encoding="utf-8"))
    return data


def _date(text: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def _source(*, actor: Any, organisation: Organisation, entry: dict[str, Any], loaded: OutsideFiguresLoaded) -> Source:
    """The organisation's source of this title and publisher, recorded if missing (matched so nothing doubles)."""
    existing = Source.objects.filter(
        organisation=organisation, title=entry["title"], publisher=entry["publisher"]
    ).first()
    if existing is not None:
        return existing
    fields = {name: entry[name] for name in SOURCE_FIELDS if entry.get(name) is not None}
    fields["published_on"] = _date(entry.get("published_on"))
    loaded.sources += 1
    return source_create(actor=actor, organisation=organisation, authorised_by=CHANGE_REPORT, **fields)


@transaction.atomic
def outside_figures_load(*, actor: Any, organisation: Organisation) -> OutsideFiguresLoaded:
    """Register the sample figures with their sources; codes already registered are left as they are.

    `actor` None is the system (the demo loader); a user needs "reports.change_report"."""
    if actor is not None:
        require(actor, CHANGE_REPORT, organisation)
    data = outside_figures_data()
    loaded = OutsideFiguresLoaded()
    present = set(ExternalStatistic.objects.filter(organisation=organisation).values_list("code", flat=True))
    sources: dict[str, Source] = {}
    for figure in data["figures"]:
        if figure["code"] in present:
            continue
        key = figure["source"]
        if key not in sources:
            entry = next(source for source in data["sources"] if source["key"] == key)
            sources[key] = _source(actor=actor, organisation=organisation, entry=entry, loaded=loaded)
        external_statistic_create(
            actor=actor,
            organisation=organisation,
            code=figure["code"],
            label=figure["label"],
            value=Decimal(figure["value"]),
            qualifier=figure.get("qualifier", ""),
            unit=figure.get("unit", "persons"),
            population=figure.get("population", ""),
            period_start=_date(figure.get("period_start")),
            period_end=_date(figure.get("period_end")),
            source=sources[key],
        )
        loaded.figures += 1
    return loaded
