"""Directives turned into figures: each released through disclosure control (or read from the
outside-figure registry), numbered in reading order, with its footnote and its JSON record."""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from asylon.reports.citations import value_text
from asylon.reports.reporting.directives import Directive, DirectiveError, Item
from asylon.reports.reporting.sources import FigureSources

ROUND_KEY = "round"  # a directive's own key (not the question's): round published counts to a base
MAX_ROUNDING = 100
APPEAL_MEASURE = "appeal"
APPEAL_DIMENSION = "appeal_result"
WON, LOST = "won", "lost"
# An SVG from charts.py is our own drawing; still, refuse one that could run or fetch anything.
_UNSAFE_SVG = re.compile(r"<script|<foreignObject|\son[a-z]+\s*=|(?:href|src)\s*=\s*[\"'](?!#)", re.IGNORECASE)


def suppressed_phrase() -> str:
    """What stands in for a suppressed count in running text (never 'fewer than k': that discloses)."""
    return gettext("suppressed (disclosure control)")


def withheld_phrase() -> str:
    """What stands in for a figure the differencing check refused."""
    return gettext("withheld (disclosure control)")


@dataclasses.dataclass(frozen=True)
class InlineFigure:
    """A number in running text and its footnote."""

    text: str
    footnote: int


@dataclasses.dataclass(frozen=True)
class BlockFigure:
    """A table or chart: a caption with its footnote, the data as text rows, and for charts the images."""

    kind: str
    caption: str
    footnote: int
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    chart: Chart | None = None


@dataclasses.dataclass(frozen=True)
class Failure:
    """A directive that produced no figure: the message shown in its place and listed in the errors."""

    message: str


@dataclasses.dataclass
class Chart:
    """A chart's SVG (HTML and PDF) and, drawn only when a DOCX asks for it, its PNG."""

    number: int
    caption: str
    svg: str
    draw_png: Callable[[], bytes] = dataclasses.field(repr=False)
    _png: bytes | None = dataclasses.field(default=None, repr=False)

    @property
    def png(self) -> bytes:
        if self._png is None:
            self._png = self.draw_png()
        return self._png


Resolved = InlineFigure | BlockFigure | Failure


def safe_svg(svg: str) -> str:
    """The chart's SVG without its XML prolog; "" for an SVG that could run or fetch anything."""
    if _UNSAFE_SVG.search(svg):
        return ""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else ""


def format_as_of(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M %Z").strip()


def count_text(value: Any) -> str:
    """A published count as text: the number, or the word that says it was withheld."""
    return gettext("suppressed") if value.suppressed else value_text(value.value)


class _Refused(Exception):
    """A release the differencing check refused, with the question it was for."""

    def __init__(self, question: Any, error: Exception) -> None:
        super().__init__(str(error))
        self.question = question
        self.error = error


class Resolver:
    """Resolves directives in the order the text shows them; numbers footnotes as it goes."""

    def __init__(self, sources: FigureSources, *, as_of: datetime.datetime | None) -> None:
        self.sources = sources
        self.as_of = as_of
        self.footnotes: list[str] = []
        self.figures: list[dict[str, Any]] = []
        self.errors: list[str] = []
        self.charts: list[Chart] = []
        self._done: dict[int, Resolved] = {}
        self._released: dict[str, Any] = {}

    def resolve(self, index: int, item: Item) -> Resolved:
        """The figure for the index-th directive (computed once, however many outputs are rendered)."""
        if index not in self._done:
            self._done[index] = self._resolve(item)
        return self._done[index]

    def note_error(self, message: str) -> None:
        # Each output is written from the same text; an error found again is the same error.
        if message not in self.errors:
            self.errors.append(message)

    def fail(self, message: str) -> Failure:
        self.note_error(message)
        return Failure(message)

    def _resolve(self, item: Item) -> Resolved:
        if isinstance(item, DirectiveError):
            return self.fail(item.message)
        try:
            if item.name == "cited":
                return self._cited(item)
            if item.name == "rate":
                return self._rate(item)
            return self._case_figure(item)
        except _Refused as refused:
            return self._withheld(item, refused.question, refused.error)
        except Exception as error:
            if not self.sources.is_report_error(error):
                raise
            return self.fail(gettext("Line %(line)d: %(reason)s") % {"line": item.line, "reason": _reason(error)})

    def _release(self, question: Any, rounding_base: int | None) -> Any:
        """The protected table of a question, released once per report: the same question asked
        again shows the same table (its release, ledger entry and audit already cover it)."""
        key = f"{question.key}/{rounding_base or 1}"
        if key not in self._released:
            try:
                self._released[key] = self.sources.release(question, rounding_base=rounding_base)
            except Exception as error:
                if self.sources.is_refusal(error):
                    raise _Refused(question, error) from error
                raise
        return self._released[key]

    def _question(self, params: dict[str, str]) -> tuple[Any, int | None]:
        """The statistics question of a directive's keys, and the rounding its `round` key asks for."""
        rounding = params.pop(ROUND_KEY, None)
        if rounding is not None and not (rounding.isdigit() and 1 <= int(rounding) <= MAX_ROUNDING):
            raise self.sources.question_error(
                gettext("round takes a whole number from 1 to %(max)d.") % {"max": MAX_ROUNDING}
            )
        return self.sources.question(params), int(rounding) if rounding else None

    def _footnote(self, text: str) -> int:
        self.footnotes.append(text)
        return len(self.footnotes)

    def _provenance(self, question: Any, table: Any) -> tuple[str, dict[str, Any]]:
        moment = self.as_of or table.as_of
        n = suppressed_phrase() if table.total.suppressed else value_text(table.total.value)
        description = self.sources.describe(question)
        rule = table.rule.describe()
        text = gettext("%(question)s. N = %(n)s. As of %(as_of)s. %(rule)s") % {
            "question": description.rstrip("."),
            "n": n,
            "as_of": format_as_of(moment),
            "rule": rule,
        }
        record = {
            "question": question.key,
            "question_params": question.as_json(),
            "description": description,
            "n": table.total.value,
            "rule": rule,
            "as_of": moment.isoformat(),
            "values": published_values(table),
        }
        return text, record

    def _record(self, directive: Directive, number: int, **fields: Any) -> None:
        self.figures.append({"number": number, "directive": directive.source, "kind": directive.name, **fields})

    def _cited(self, directive: Directive) -> Resolved:
        statistic = self.sources.outside(directive.param_map["statistic"])
        citation = self.sources.citation(statistic)
        text = self.sources.figure_text(statistic)
        number = self._footnote(citation)
        self._record(directive, number, code=statistic.code, value=text, citation=citation)
        return InlineFigure(text=text, footnote=number)

    def _rate(self, directive: Directive) -> Resolved:
        params = directive.param_map
        if params.setdefault("measure", APPEAL_MEASURE) != APPEAL_MEASURE:
            return self.fail(
                gettext("Line %(line)d: %(reason)s")
                % {"line": directive.line, "reason": gettext("rate works only with measure=appeal.")}
            )
        question, rounding = self._question({**params, "by": APPEAL_DIMENSION})
        table = self._release(question, rounding)
        won, lost = (table.cells.get((code,)) for code in (WON, LOST))
        if won is None or lost is None or won.suppressed or lost.suppressed:
            text = suppressed_phrase()
        elif won.value + lost.value == 0:
            text = gettext("no appeals decided")
        else:
            text = gettext("%(percent)d%%") % {"percent": round(100 * won.value / (won.value + lost.value))}
        provenance, record = self._provenance(question, table)
        number = self._footnote(gettext("Appeals won as a share of appeals won or lost.") + " " + provenance)
        self._record(directive, number, rate=text, **record)
        return InlineFigure(text=text, footnote=number)

    def _case_figure(self, directive: Directive) -> Resolved:
        question, rounding = self._question(directive.param_map)
        table = self._release(question, rounding)
        caption = self.sources.describe(question)
        svg = ""
        if directive.name == "chart":
            svg = safe_svg(self.sources.chart_svg(table, title=caption))
            if not svg:
                return self.fail(
                    gettext("Line %(line)d: %(reason)s")
                    % {"line": directive.line, "reason": gettext("the chart could not be drawn safely.")}
                )
        provenance, record = self._provenance(question, table)
        number = self._footnote(provenance)
        self._record(directive, number, **record)
        if directive.name == "count":
            text = suppressed_phrase() if table.total.suppressed else value_text(table.total.value)
            return InlineFigure(text=text, footnote=number)
        header, rows = self._table_rows(table)
        chart = None
        if svg:
            sources = self.sources
            chart = Chart(
                number=number, caption=caption, svg=svg, draw_png=lambda: sources.chart_png(table, title=caption)
            )
            self.charts.append(chart)
        return BlockFigure(kind=directive.name, caption=caption, footnote=number, header=header, rows=rows, chart=chart)

    def _withheld(self, directive: Directive, question: Any, error: Exception) -> Resolved:
        """A figure the differencing check refused: withheld in its place, the reason in its footnote.
        Not an error: the report can still be saved (a re-run after a few new cases would otherwise
        never save), and the figure returns once it differs from earlier ones by k people or more."""
        description = self.sources.describe(question)
        reason = {"question": description.rstrip("."), "reason": _reason(error)}
        number = self._footnote(gettext("%(question)s. Withheld: %(reason)s") % reason)
        self._record(
            directive,
            number,
            question=question.key,
            question_params=question.as_json(),
            description=description,
            n=None,
            withheld=True,
            values={"total": None},
        )
        if directive.block:
            return BlockFigure(
                kind=directive.name, caption=description, footnote=number, header=(withheld_phrase(),), rows=()
            )
        return InlineFigure(text=withheld_phrase(), footnote=number)

    def _table_rows(self, table: Any) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
        grid = self.sources.grid(table)
        header = tuple(grid.header)
        if grid.column_title:
            header = (f"{header[0]} / {grid.column_title}", *header[1:])
        return header, tuple((label, *(count_text(value) for value in values)) for label, values in grid.rows)


def published_values(table: Any) -> dict[str, int | None]:
    """Every published number of a table, JSON-able, for comparing saved versions (None: suppressed)."""
    values: dict[str, int | None] = {"total": table.total.value}
    for coordinates, value in table.cells.items():
        if coordinates:
            values["cell:" + "|".join(coordinates)] = value.value
    for row, value in table.row_totals.items():
        values["row:" + row] = value.value
    for column, value in table.column_totals.items():
        values["column:" + column] = value.value
    return values


def _reason(error: Exception) -> str:
    """The translated message a service put in its exception (Http404's is not for people)."""
    from django.core.exceptions import ObjectDoesNotExist
    from django.http import Http404

    if isinstance(error, ObjectDoesNotExist | Http404):
        return gettext("there is no outside figure with that code.")
    message = getattr(error, "message", None) or (error.args[0] if error.args else "")
    return str(message).rstrip(".") + "."
