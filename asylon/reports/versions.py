"""What changed between two saved versions of a report, figure by figure.

Figures are matched by what they count (the question's key, or the outside figure's code) and their
kind, never by footnote number: adding a paragraph renumbers the footnotes but changes no figure.
A figure that appears twice in a report (the same question asked twice) is matched by occurrence.
"""

from __future__ import annotations

import dataclasses
import enum
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext

FigureKey = tuple[str, str, int]
Value = Any  # a published number (int, float or a decimal string) or None when suppressed


class Change(enum.StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    SUPPRESSED = "suppressed"  # published before, suppressed now
    PUBLISHED = "published"  # suppressed before, published now


@dataclasses.dataclass(frozen=True)
class FigureChange:
    """One change: which figure (its directive as written), which cell ("" for a single number)."""

    change: Change
    directive: str
    cell: str
    old: Value = None
    new: Value = None
    number: int | None = None  # the footnote number in the newer version (the older one when removed)
    label: str = ""  # the cell in words (category labels rather than codes)


def _identity(figure: Mapping[str, Any]) -> str:
    question = figure.get("question")
    if isinstance(question, Mapping) and question.get("key"):
        return str(question["key"])
    for name in ("question", "question_key", "key", "code", "statistic"):
        if figure.get(name):
            return str(figure[name])
    return str(figure.get("directive", ""))


def keyed(figures: Iterable[Mapping[str, Any]]) -> dict[FigureKey, Mapping[str, Any]]:
    """Figures by (kind, what they count, occurrence)."""
    seen: Counter[tuple[str, str]] = Counter()
    result: dict[FigureKey, Mapping[str, Any]] = {}
    for figure in figures:
        base = (str(figure.get("kind", "")), _identity(figure))
        result[(*base, seen[base])] = figure
        seen[base] += 1
    return result


def _cell_label(cell: Mapping[str, Any]) -> str:
    for name in ("label", "cell", "coordinates", "key"):
        if name in cell:
            label = cell[name]
            return " × ".join(str(part) for part in label) if isinstance(label, list | tuple) else str(label)
    return ""


def _published(entry: Any) -> Value:
    """A value as published: None when suppressed."""
    if isinstance(entry, Mapping):
        if entry.get("suppressed") or entry.get("state") == "suppressed":
            return None
        return entry.get("value")
    return entry


def published_values(figure: Mapping[str, Any]) -> dict[str, Value]:
    """Every number a figure showed, by cell ("" for a single number, "rate" for a rate's percentage,
    the engine's keys "total", "cell:a|b", "row:a", "column:b" for counts); None where suppressed."""
    result: dict[str, Value] = {}
    if "rate" in figure:
        result["rate"] = figure["rate"]
    values = figure.get("values")
    if isinstance(values, Mapping):
        result.update((str(label), _published(entry)) for label, entry in values.items())
    elif isinstance(values, list):
        result.update((_cell_label(entry), _published(entry)) for entry in values if isinstance(entry, Mapping))
    elif "value" in figure or "state" in figure or "suppressed" in figure:
        result[""] = _published(figure)
    return result


def _value_label(dimension: str, code: str) -> str:
    from asylon.reports.statistics.measures import DIMENSIONS

    try:
        return str(DIMENSIONS[dimension].value_label(code))
    except (KeyError, LookupError, ValueError):
        return code


def cell_label(figure: Mapping[str, Any], cell: str) -> str:
    """A cell key in words: category labels for the codes of the figure's breakdown."""
    if cell in ("", "total"):
        return gettext("total") if cell else ""
    if cell == "rate":
        return gettext("rate")
    kind, _, codes = cell.partition(":")
    params = figure.get("question_params")
    by = list(params.get("by", ())) if isinstance(params, Mapping) else []
    dimensions = {"cell": by, "row": by[:1], "column": by[1:2]}.get(kind)
    if dimensions is None:
        return cell
    words = " × ".join(
        _value_label(dimension, code) for dimension, code in zip(dimensions, codes.split("|"), strict=False)
    )
    return words if kind == "cell" else f"{words}, {gettext('total')}"


def _changes_of_values(old: dict[str, Value], new: dict[str, Value]) -> Iterable[tuple[Change, str, Value, Value]]:
    for cell in [*old, *(cell for cell in new if cell not in old)]:
        before, after = old.get(cell), new.get(cell)
        if cell not in new:
            yield Change.REMOVED, cell, before, None
        elif cell not in old:
            yield Change.ADDED, cell, None, after
        elif before is not None and after is None:
            yield Change.SUPPRESSED, cell, before, None
        elif before is None and after is not None:
            yield Change.PUBLISHED, cell, None, after
        elif str(before) != str(after):
            yield Change.CHANGED, cell, before, after


def figures_changed(
    previous_figures: Iterable[Mapping[str, Any]], current_figures: Iterable[Mapping[str, Any]]
) -> list[FigureChange]:
    """The changes from one version's figures to the next: added and removed figures, and per cell
    a changed value (old → new), a suppression or a publication. Unchanged figures yield nothing."""
    previous, current = keyed(previous_figures), keyed(current_figures)
    changes: list[FigureChange] = []
    for key, figure in current.items():
        directive, number = str(figure.get("directive", "")), figure.get("number")
        if key not in previous:
            changes.append(FigureChange(Change.ADDED, directive, "", number=number))
            continue
        for change, cell, old, new in _changes_of_values(published_values(previous[key]), published_values(figure)):
            changes.append(FigureChange(change, directive, cell, old, new, number, cell_label(figure, cell)))
    for key, figure in previous.items():
        if key not in current:
            changes.append(
                FigureChange(Change.REMOVED, str(figure.get("directive", "")), "", number=figure.get("number"))
            )
    return changes
