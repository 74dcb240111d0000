"""A report's HTML: markdown-it (raw HTML off) from the final Markdown, sanitised by nh3 with an
explicit allow-list, then the charts' inline SVG put in the placeholders the Markdown left for them.

Two shapes: the app's fragment (footnotes listed at the end, linked by fragment anchors) and the
PDF's (each footnote a `float: footnote` span where it is called, which WeasyPrint places at the
foot of the page)."""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Sequence

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from asylon.reports.reporting.resolve import Chart, safe_svg

TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "code", "em", "strong",
    "br", "hr", "table", "thead", "tbody", "tr", "th", "td", "sup", "a", "section", "span",
}  # fmt: skip
# No style attribute: the app's CSP refuses inline styles (a table's column alignment is dropped).
ATTRIBUTES = {"a": {"href", "id"}, "li": {"id"}, "ol": {"start"}}
CLASSES = {
    "a": {"footnote-backref"},
    "sup": {"footnote-ref"},
    "section": {"footnotes"},
    "ol": {"footnotes-list"},
    "li": {"footnote-item"},
    "hr": {"footnotes-sep"},
}


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable("table").use(footnote_plugin)


def _only_fragment_links(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "href":
        return value if value.startswith("#") else None
    return value


def sanitise(html: str) -> str:
    """The HTML with only the allowed tags, attributes, classes and in-page links."""
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        allowed_classes=CLASSES,
        attribute_filter=_only_fragment_links,
        url_schemes=set(),
        link_rel=None,
        strip_comments=True,
        clean_content_tags={"script", "style"},
    )


def _with_charts(html: str, charts: Sequence[Chart], nonce: str) -> str:
    """The figures' wrappers and the charts' SVG in place of the placeholders markdown.py wrote."""
    svgs = {chart.number: safe_svg(chart.svg) for chart in charts}

    def replace(match: re.Match[str]) -> str:
        role, number = match.group(1), int(match.group(2))
        if role == "O":
            return '<div class="figure">'
        if role == "X":
            return "</div>"
        return f'<div class="chart">{svgs.get(number, "")}</div>'

    return re.sub(rf"(?:<p>)?ASYLON{nonce}([COX])(\d+)E(?:</p>)?", replace, html)


def report_html(markdown: str, *, charts: Sequence[Chart], nonce: str) -> str:
    """The app's HTML fragment of the final Markdown (charts as placeholders) with footnotes at the end."""
    return _with_charts(sanitise(_parser().render(markdown)), charts, nonce)


def report_print_html(markdown: str, *, charts: Sequence[Chart], footnotes: Sequence[str], nonce: str) -> str:
    """The PDF's HTML fragment: each footnote a span where it is called (CSS float: footnote)."""
    parser = _parser()
    env: dict[str, object] = {}
    tokens = _without_footnote_block(parser.parse(markdown, env))
    call = f"ASYLON{nonce}F"
    parser.add_render_rule(
        "footnote_ref", lambda self, tokens, idx, options, env: f"{call}{tokens[idx].meta['label']}E"
    )
    html = sanitise(parser.renderer.render(tokens, parser.options, env))

    def footnote(match: re.Match[str]) -> str:
        number = int(match.group(1))
        text = footnotes[number - 1] if 0 < number <= len(footnotes) else ""
        return f'<span class="footnote">{html_lib.escape(text)}</span>'

    html = re.sub(rf"{call}(\d+)E", footnote, html)
    return _with_charts(html, charts, nonce)


def _without_footnote_block(tokens: list[Token]) -> list[Token]:
    kept: list[Token] = []
    inside = False
    for token in tokens:
        if token.type == "footnote_block_open":
            inside = True
        elif token.type == "footnote_block_close":
            inside = False
        elif not inside:
            kept.append(token)
    return kept
