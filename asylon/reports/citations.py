"""An outside figure in words: its value as stated ("about 48,804") and its source as a report footnote."""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from asylon.evidence.models import Source
from asylon.reports.models import ExternalStatistic

# The qualifiers a figure is stated with, stored as codes and shown in the reader's language.
QUALIFIERS: dict[str, Promise] = {
    "about": gettext_lazy("about"),
    "over": gettext_lazy("over"),
    "under": gettext_lazy("under"),
    "at_least": gettext_lazy("at least"),
    "up_to": gettext_lazy("up to"),
    "nearly": gettext_lazy("nearly"),
}
# A count of people needs no unit after the number: the sentence around it says who they are.
UNITLESS = frozenset({"", "persons", "people"})
ATTACHED_UNITS = frozenset({"%"})


def value_text(value: Decimal | int | float | str) -> str:
    """A number in the active language's grouping and decimal marks, without trailing zeros."""
    number = Decimal(str(value))
    places = max(0, -number.normalize().as_tuple().exponent)  # type: ignore[operator]
    return number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


def figure_text(statistic: ExternalStatistic) -> str:
    """The figure as stated, e.g. "about 48,804" or "12.5%"."""
    number = value_text(statistic.value)
    unit = statistic.unit.strip()
    if unit in ATTACHED_UNITS:
        number = f"{number}{unit}"
    elif unit not in UNITLESS:
        number = f"{number} {unit}"
    qualifier = statistic.qualifier.strip()
    if not qualifier:
        return number
    return f"{QUALIFIERS.get(qualifier, qualifier)} {number}"


def source_text(source: Source) -> str:
    """A source as a footnote cites it: publisher, “title”, date, note, address, accessed date."""
    parts = [source.publisher.strip(), f"“{source.title.strip()}”"]
    if source.published_on:
        parts.append(date_format(source.published_on, "DATE_FORMAT"))
    parts.append(source.citation.strip())
    parts.append(source.url.strip())
    if source.accessed_on:
        parts.append(_("accessed %(date)s") % {"date": date_format(source.accessed_on, "DATE_FORMAT")})
    return ", ".join(part for part in parts if part) + "."


def citation_text(statistic: ExternalStatistic) -> str:
    """The footnote of an outside figure: its source, cited as a report does."""
    return source_text(statistic.source)
