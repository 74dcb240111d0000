"""Build a report: directives resolved once into figures with footnotes, then the same content
written as Markdown, HTML (app and print), PDF and DOCX. Errors in the text never raise: each is
listed in BuiltReport.errors and shown where it occurred; a report with errors is not saved."""

from __future__ import annotations

import base64
import dataclasses
import datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from asylon.reports.reporting.directives import Extracted, extract
from asylon.reports.reporting.docx import report_docx
from asylon.reports.reporting.html import report_html, report_print_html
from asylon.reports.reporting.markdown import write_markdown
from asylon.reports.reporting.pdf import report_pdf
from asylon.reports.reporting.resolve import Chart, Resolver, format_as_of
from asylon.reports.reporting.sources import FigureSources
from asylon.reports.statistics.aggregates import counts_reused

MAX_LENGTH = 500_000  # characters of report text; a book-length report is a mistake

__all__ = ["BuiltReport", "build_report", "report_docx", "report_html_page", "report_markdown", "report_pdf"]


@dataclasses.dataclass
class BuiltReport:
    """A report with its figures resolved: the final Markdown, the sanitised HTML, and the records."""

    title: str
    as_of: datetime.datetime
    markdown: str
    html: str
    print_html: str
    figures: list[dict[str, Any]]
    charts: list[Chart]
    errors: list[str]
    footnotes: list[str]
    _extracted: Extracted = dataclasses.field(repr=False)
    _resolver: Resolver = dataclasses.field(repr=False)

    @property
    def as_of_text(self) -> str:
        return format_as_of(self.as_of)

    @property
    def rule_text(self) -> str:
        """The disclosure rule, when every case-data figure of the report was published under the same one."""
        rules = {figure["rule"] for figure in self.figures if "rule" in figure}
        return rules.pop() if len(rules) == 1 else ""

    @property
    def docx_markdown(self) -> str:
        """The final Markdown with each chart as its PNG (a data URI), for pandoc."""
        return write_markdown(self._extracted, self._resolver, chart_mode="docx", title=self.title)

    def chart_png_base64(self) -> list[str]:
        return [base64.b64encode(chart.png).decode("ascii") for chart in self.charts]


def build_report(
    *,
    actor: Any,
    organisation: Any,
    markdown: str,
    title: str,
    as_of: datetime.datetime | None = None,
    sources: FigureSources | None = None,
) -> BuiltReport:
    """Resolve a report's directives (every case figure through statistics_release) and render it.

    as_of, when given, is the moment the footnotes state (a rebuilt sample report stays identical);
    sources replaces where figures come from (tests only)."""
    sources = sources or FigureSources(actor=actor, organisation=organisation)
    resolver = Resolver(sources, as_of=as_of)
    if len(markdown) > MAX_LENGTH:
        resolver.note_error(gettext("The report is too long: at most %(n)d characters.") % {"n": MAX_LENGTH})
        markdown = ""
    extracted = extract(markdown)
    with counts_reused():  # the figures are resolved here, several of them over the same populations
        final = write_markdown(extracted, resolver, chart_mode="markdown", title=title)
    for_html = write_markdown(extracted, resolver, chart_mode="html", title="")
    return BuiltReport(
        title=title,
        as_of=as_of or timezone.now(),
        markdown=final,
        html=report_html(for_html, charts=resolver.charts, nonce=extracted.nonce),
        print_html=report_print_html(
            for_html, charts=resolver.charts, footnotes=resolver.footnotes, nonce=extracted.nonce
        ),
        figures=resolver.figures,
        charts=resolver.charts,
        errors=resolver.errors,
        footnotes=resolver.footnotes,
        _extracted=extracted,
        _resolver=resolver,
    )


def report_markdown(built: BuiltReport) -> str:
    """The final Markdown: figures substituted, footnotes as [^n] definitions."""
    return built.markdown


def report_html_page(built: BuiltReport) -> str:
    """The in-app HTML fragment of a built report (errors listed first, then the text)."""
    return render_to_string(
        "reports/reporting/report_page.html",
        {"built": built, "body": mark_safe(built.html)},  # noqa: S308  # nosec B308 B703 - nh3 in html.py
    )
