"""Bar charts of protected tables: SVG for pages and HTML reports, PNG for DOCX.

Only published values are drawn; a suppressed cell is an empty hatched bar labelled "suppressed",
whose length says nothing about its value. The SVG is self-contained and fit for a page under the
strict CSP (docs/security/http.md): no script, no external reference, no style element or style
attribute (matplotlib's styles become presentation attributes), glyphs drawn as paths so Cyrillic
and Lithuanian need no font on the reader's side, and no date, so the same table gives the same bytes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import logging
import re
import textwrap
import threading
import unicodedata
import xml.etree.ElementTree as ET  # nosec B405 - parses only matplotlib's own SVG output
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.utils.translation import gettext

from asylon.reports.labels import TIME_DIMENSIONS, breakdowns, dimension_label, value_labels
from asylon.reports.statistics.tables import ProtectedTable

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
# Okabe and Ito's palette, safe for the common colour-vision deficiencies; yellow last (low contrast).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442")
# Beyond the palette, series are told apart by hatching too.
SERIES_HATCHES = ("", "..", "xx", "--", "oo", "\\\\")
SUPPRESSED_STYLE: dict[str, Any] = {"facecolor": "none", "edgecolor": "#595959", "hatch": "///", "linestyle": "--"}
SUPPRESSED_LENGTH = 0.06  # of the longest bar: visible, and the same for every suppressed cell
WIDTH_INCHES = 7.0
PNG_DPI = 150
LABEL_WIDTH = 26  # characters per line of a category label beside a horizontal bar
LEGEND_WIDTH = 24  # and of a series name in the legend
CACHE_SECONDS = 24 * 3600
UNPRINTABLE = frozenset({"Cc", "Cs", "Co", "Cn"})
# Properties matplotlib writes into style attributes that SVG also accepts as presentation attributes.
PRESENTATION = frozenset(
    {
        "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity", "stroke-linejoin",
        "stroke-linecap", "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset", "opacity",
        "clip-path", "font-family", "font-size", "font-style", "font-weight", "text-anchor",
    }
)  # fmt: skip

_configured = threading.Lock()
_ready = False


def chart_svg(table: ProtectedTable, *, title: str) -> str:
    """The table as an inline SVG bar chart (a string starting with <svg) titled for screen readers.
    Cached by everything drawn (published values and labels only), since drawing is the slow part."""
    chart = _chart(table)
    key = "reports:chart-svg:" + hashlib.sha256(repr((chart, title)).encode()).hexdigest()
    svg = cache.get(key)
    if svg is None:
        buffer = io.StringIO()
        _figure(chart).savefig(buffer, format="svg", metadata={"Date": None})
        svg = _inline_svg(buffer.getvalue(), title=title)
        cache.set(key, svg, CACHE_SECONDS)
    return svg


def chart_png(table: ProtectedTable, *, title: str) -> bytes:
    """The same chart as a PNG image (for DOCX, where SVG is not portable), its title on top."""
    figure = _figure(_chart(table), title=title)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Software": None})
    return buffer.getvalue()


@dataclasses.dataclass(frozen=True)
class _Chart:
    """What is drawn: category labels, and per series its label and values (None: suppressed)."""

    upright: bool
    row_title: str
    column_title: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[int | None, ...]], ...]


def _chart(table: ProtectedTable) -> _Chart:
    row_dimension, column_dimension = breakdowns(table)
    rows = table.rows if row_dimension else ("",)
    row_labels = value_labels(row_dimension, rows)
    column_labels = value_labels(column_dimension, table.columns)

    def value_of(row: str, column: str | None) -> int | None:
        published = table.cells[(row, column) if column else (row,)] if row_dimension else table.total
        return None if published.suppressed else (published.value or 0)

    series: list[tuple[str, str | None]] = [(column_labels[column], column) for column in table.columns] or [("", None)]
    return _Chart(
        upright=row_dimension in TIME_DIMENSIONS,
        row_title=_printable(dimension_label(row_dimension)),
        column_title=_printable(dimension_label(column_dimension)),
        categories=tuple(_printable(row_labels[row]) for row in rows),
        series=tuple((_printable(label), tuple(value_of(row, column) for row in rows)) for label, column in series),
    )


def _configure() -> None:
    """Set matplotlib's process-wide options once: a fixed id salt (deterministic ids), text as
    paths, DejaVu Sans (Latin, Cyrillic and Lithuanian glyphs), and the Agg backend for pyplot users."""
    global _ready
    with _configured:
        if _ready:
            return
        logging.getLogger("matplotlib").setLevel(logging.WARNING)  # its font search logs every candidate
        import matplotlib

        matplotlib.use("Agg")
        matplotlib.rcParams.update(
            {
                "svg.hashsalt": "asylon-chart",
                "svg.fonttype": "path",
                "text.parse_math": False,  # labels are data: a "$" is a dollar sign, never TeX
                "font.family": "sans-serif",
                "font.sans-serif": ["DejaVu Sans"],
                "axes.spines.top": False,
                "axes.spines.right": False,
            }
        )
        _ready = True


def _figure(chart: _Chart, *, title: str = "") -> Figure:
    """A matplotlib figure (no pyplot, so no global figure registry) with the chart's bars. Margins are
    set from the label lengths: a layout engine would draw everything twice."""
    _configure()
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    upright = chart.upright
    # Long category names (grounds, event types) wrap rather than push the bars off the figure.
    categories = chart.categories if upright else tuple(textwrap.fill(label, LABEL_WIDTH) for label in chart.categories)
    rotated = upright and len(categories) > 8
    # Upright bars side by side are too narrow for a level "suppressed": their labels stand up.
    crowded = upright and (len(chart.series) > 1 or len(categories) > 12)
    longest_label = max((len(line) for label in categories for line in label.splitlines()), default=1)
    lines = sum(label.count("\n") + 1 for label in categories)
    height = (
        3.2
        if upright
        else max(2.2, 0.32 * len(categories) * len(chart.series) + 0.2 * lines + 0.15 * len(categories) + 1.0)
    )
    figure = Figure(figsize=(WIDTH_INCHES, height + (0.4 if title else 0)))
    left = 0.8 if upright else min(0.6 + 0.075 * longest_label, WIDTH_INCHES / 3)
    # The legend (two-way tables) sits right of the bars, never over them.
    longest_series = min(max((len(label) for label, _values in chart.series), default=0), LEGEND_WIDTH)
    right = 0.2 + (
        min(0.7 + 0.06 * max(longest_series, len(chart.column_title)), WIDTH_INCHES / 3) if longest_series else 0
    )
    bottom = 0.7 + (0.07 * longest_label if rotated else 0)
    top = 0.2 + (0.4 if title else 0)
    figure.subplots_adjust(
        left=left / WIDTH_INCHES, right=1 - right / WIDTH_INCHES, bottom=bottom / figure.get_figheight(),
        top=1 - top / figure.get_figheight(),
    )  # fmt: skip
    if title:
        figure.suptitle(title, fontsize=11)
    axes = figure.add_subplot()
    longest = max([value or 0 for _label, values in chart.series for value in values] + [1])
    group = 0.8
    thickness = group / len(chart.series)
    legend: list[Patch] = []
    for index, (label, values) in enumerate(chart.series):
        positions = [position - group / 2 + thickness * (index + 0.5) for position in range(len(categories))]
        colour = PALETTE[index % len(PALETTE)]
        hatch = SERIES_HATCHES[(index // len(PALETTE)) % len(SERIES_HATCHES)] or None
        _bars(axes, positions, values, thickness, colour, hatch, upright=upright, longest=longest, crowded=crowded)
        if label:
            legend.append(
                Patch(facecolor=colour, hatch=hatch, edgecolor="white", label=textwrap.fill(label, LEGEND_WIDTH))
            )

    count_label = gettext("People")
    if upright:
        axes.set_xticks(
            range(len(categories)), categories, rotation=45 if rotated else 0, ha="right" if rotated else "center"
        )
        axes.set_ylabel(count_label)
        axes.set_xlabel(chart.row_title)
        axes.set_ylim(0, longest * (1.3 if crowded else 1.15))
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    else:
        axes.set_yticks(range(len(categories)), categories)
        axes.invert_yaxis()  # first category on top, as in the data table
        axes.set_xlabel(count_label)
        axes.set_ylabel(chart.row_title)
        axes.set_xlim(0, longest * 1.25)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    if legend:
        if any(value is None for _label, values in chart.series for value in values):
            legend.append(Patch(**SUPPRESSED_STYLE, label=gettext("suppressed")))
        axes.legend(
            handles=legend, title=chart.column_title, fontsize=8, title_fontsize=8,
            loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False,
        )  # fmt: skip
    return figure


def _bars(
    axes: Axes,
    positions: list[float],
    values: tuple[int | None, ...],
    thickness: float,
    colour: str,
    hatch: str | None,
    *,
    upright: bool,
    longest: int,
    crowded: bool,
) -> None:
    """One series: filled bars with their values, and hatched empty bars marked "suppressed"."""
    lengths = [SUPPRESSED_LENGTH * longest if value is None else value for value in values]
    draw = axes.bar if upright else axes.barh
    sizes: dict[str, Any] = {"width": thickness} if upright else {"height": thickness}
    bars = draw(positions, lengths, color=colour, hatch=hatch, edgecolor="white", linewidth=0.5, **sizes)
    marker = gettext("suppressed")
    for bar, value in zip(bars.patches, values, strict=True):
        if value is None:
            bar.set(**SUPPRESSED_STYLE)
    texts = [marker if value is None else str(value) for value in values]
    axes.bar_label(bars, texts, padding=2, fontsize=7, rotation=90 if crowded else 0)


def _inline_svg(document: str, *, title: str) -> str:
    """matplotlib's SVG document made fit to inline in a page: no prolog, DOCTYPE, metadata or style
    element; styles as attributes; ids prefixed so several charts on one page never clash; a <title>."""
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    root = ET.fromstring(document)  # noqa: S314  # nosec B314 - matplotlib's own output, not untrusted input
    prefix = "chart-" + hashlib.sha256(document.encode()).hexdigest()[:10]
    root_style: dict[str, str] = {}
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag in (f"{{{SVG_NS}}}metadata", f"{{{SVG_NS}}}style"):
                if child.tag.endswith("style"):
                    root_style.update(_declarations(re.sub(r"^[^{]*\{|\}\s*$", "", child.text or "")))
                parent.remove(child)
    for element in root.iter():
        declarations = _declarations(element.attrib.pop("style", ""))
        for name, value in declarations.items():
            element.set(name, value)
        for name, value in list(element.attrib.items()):
            if name == "id":
                element.set(name, f"{prefix}-{value}")
            elif name in ("fill", "stroke", "clip-path", "mask", "filter"):
                element.set(name, value.replace("url(#", f"url(#{prefix}-"))
            elif name in ("href", f"{{{XLINK_NS}}}href") and value.startswith("#"):
                element.set(name, f"#{prefix}-{value[1:]}")
    for name, value in root_style.items():
        root.set(name, value)
    title_element = ET.Element(f"{{{SVG_NS}}}title", {"id": f"{prefix}-title"})
    title_element.text = _printable(title)
    root.insert(0, title_element)
    root.set("role", "img")
    root.set("aria-labelledby", f"{prefix}-title")
    root.set("class", "chart")
    return ET.tostring(root, encoding="unicode")


def _declarations(style: str) -> dict[str, str]:
    """CSS declarations ("fill: #fff; stroke: none") as presentation attributes; others dropped."""
    result = {}
    for declaration in style.split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if name in PRESENTATION and value:
            result[name] = value
    return result


def _printable(text: str) -> str:
    """Text without control characters, surrogates or unassigned code points, which XML cannot carry
    (matplotlib copies each label into a comment of its SVG)."""
    return "".join(character for character in text if unicodedata.category(character) not in UNPRINTABLE)
