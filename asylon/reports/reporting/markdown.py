"""The final Markdown of a report, written out again from the parsed text so that only what we
allow survives: paragraphs, headings, lists, quotes, code, tables, emphasis, and links shown as
text and address. Images and raw HTML in the writer's text are refused (an error in their place);
directives become figures with numbered footnotes. Every character of the writer's text is escaped,
so the output means the same to markdown-it, to pandoc and to a person reading it."""

from __future__ import annotations

import base64
import re
from typing import Literal

from django.utils.translation import gettext
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from asylon.reports.reporting.directives import Directive, Extracted
from asylon.reports.reporting.resolve import BlockFigure, Failure, InlineFigure, Resolver

# "markdown": a chart is its data table; "docx": its PNG as a data URI (pandoc, never a file);
# "html": a placeholder paragraph that html.py replaces with the chart's inline SVG.
ChartMode = Literal["markdown", "docx", "html"]

_ESCAPED = re.compile(r"([\\`*_\[\]<>#!|~&{}$^])")
_LINE_START = re.compile(r"^(?:([-+=:])|(\d{1,9})([.)]))")
LINK_SCHEMES = ("http://", "https://", "mailto:")


def user_parser() -> MarkdownIt:
    """The parser of the writer's text: CommonMark with tables; raw HTML parsed only to be refused."""
    return MarkdownIt("commonmark", {"html": True}).enable("table")


def escape(text: str) -> str:
    """Plain text as Markdown that shows exactly that text."""
    escaped = _ESCAPED.sub(r"\\\1", text.replace("\r", "").replace("\n", " "))
    # "1." or "-" at the start of a line would open a list (any text may follow a line break).
    return _LINE_START.sub(lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3), escaped)


def placeholder(nonce: str, role: str, number: int) -> str:
    """A paragraph html.py replaces after sanitising: C a chart's SVG, O and X a figure's start and end."""
    return f"ASYLON{nonce}{role}{number}E"


def error_marker(message: str) -> str:
    return f"**⚠ {escape(message)}**"


class MarkdownWriter:
    """Writes the parsed report text back as Markdown, resolving directives through the resolver."""

    def __init__(self, extracted: Extracted, resolver: Resolver, *, chart_mode: ChartMode) -> None:
        self.extracted = extracted
        self.resolver = resolver
        self.chart_mode = chart_mode
        self._refusals: set[tuple[int, str]] = set()

    def write(self, tree: SyntaxTreeNode) -> str:
        return "\n\n".join(self._blocks(tree.children))

    def _refuse(self, line: int, reason: str) -> str:
        message = gettext("Line %(line)d: %(reason)s") % {"line": line, "reason": reason}
        if (line, reason) not in self._refusals:
            self._refusals.add((line, reason))
            self.resolver.note_error(message)
        return error_marker(message)

    def _blocks(self, nodes: list[SyntaxTreeNode]) -> list[str]:
        return [text for text in (self._block(node) for node in nodes) if text]

    def _block(self, node: SyntaxTreeNode) -> str:
        kind = node.type
        line = (node.map[0] + 1) if node.map else 0
        if kind == "paragraph":
            inline = node.children[0]
            block = self._block_directive(inline)
            return block if block is not None else self._inline(inline)
        if kind == "heading":
            return "#" * int(node.tag[1]) + " " + self._inline(node.children[0]).replace("\n", " ")
        if kind == "blockquote":
            inner = "\n\n".join(self._blocks(node.children))
            return "\n".join(("> " + row) if row else ">" for row in inner.split("\n"))
        if kind in ("bullet_list", "ordered_list"):
            return self._list(node)
        if kind in ("fence", "code_block"):
            content = self.extracted.restore(node.content).rstrip("\n")
            fence = "`" * max(3, _longest_run(content, "`") + 1)
            return f"{fence}\n{content}\n{fence}"
        if kind == "hr":
            return "* * *"
        if kind == "table":
            rows = [row for section in node.children for row in section.children]
            cells = [[self._inline(cell.children[0]) if cell.children else "" for cell in row.children] for row in rows]
            return pipe_table(cells[0], cells[1:])
        if kind == "html_block":
            return self._refuse(line, gettext("HTML is not allowed in a report; write Markdown."))
        return self._refuse(line, gettext("this kind of text is not supported in a report."))

    def _list(self, node: SyntaxTreeNode) -> str:
        ordered = node.type == "ordered_list"
        start = int(node.attrs.get("start", 1)) if ordered else 1
        tight = all(child.hidden for item in node.children for child in item.children if child.type == "paragraph")
        items = []
        for offset, item in enumerate(node.children):
            marker = f"{start + offset}. " if ordered else "- "
            body = "\n\n".join(self._blocks(item.children)) or ""
            indent = " " * len(marker)
            lines = body.split("\n")
            items.append(marker + lines[0] + "".join("\n" + (indent + row if row else "") for row in lines[1:]))
        return ("\n" if tight else "\n\n").join(items)

    def _placeholder_parts(self, text: str) -> list[str | int]:
        parts: list[str | int] = []
        position = 0
        for match in self.extracted.pattern.finditer(text):
            parts.append(text[position : match.start()])
            parts.append(int(match.group(1)))
            position = match.end()
        parts.append(text[position:])
        return [part for part in parts if part != ""]

    def _block_directive(self, inline: SyntaxTreeNode) -> str | None:
        """A table or chart: a paragraph holding nothing but one block directive."""
        if len(inline.children) != 1 or inline.children[0].type != "text":
            return None
        parts = self._placeholder_parts(inline.children[0].content.strip())
        if len(parts) != 1 or not isinstance(parts[0], int):
            return None
        item = self.extracted.items[parts[0]]
        if not (isinstance(item, Directive) and item.block):
            return None
        figure = self.resolver.resolve(parts[0], item)
        if isinstance(figure, Failure):
            return error_marker(figure.message)
        if not isinstance(figure, BlockFigure):
            raise TypeError("a table or chart directive resolves to a block figure")
        return self._block_figure(figure)

    def _block_figure(self, figure: BlockFigure) -> str:
        label = gettext("Chart") if figure.kind == "chart" else gettext("Table")
        caption = f"*{escape(label)}: {escape(figure.caption)}*[^{figure.footnote}]"
        # A chart is always followed by its data table: the numbers stay readable without the picture.
        table = pipe_table(
            [escape(cell) for cell in figure.header], [[escape(cell) for cell in row] for row in figure.rows]
        )
        if self.chart_mode == "html":
            # HTML keeps caption, chart and table together in one element (a PDF page does not split them).
            nonce, number = self.extracted.nonce, figure.footnote
            chart = f"{placeholder(nonce, 'C', number)}\n\n" if figure.chart else ""
            return (
                f"{placeholder(nonce, 'O', number)}\n\n{caption}\n\n{chart}{table}\n\n{placeholder(nonce, 'X', number)}"
            )
        if figure.chart is not None and self.chart_mode == "docx":
            encoded = base64.b64encode(figure.chart.png).decode("ascii")
            return f"{caption}\n\n![{escape(figure.caption)}](data:image/png;base64,{encoded})\n\n{table}"
        return f"{caption}\n\n{table}"

    def _inline(self, node: SyntaxTreeNode) -> str:
        return "".join(self._inline_node(child, node) for child in node.children)

    def _inline_node(self, node: SyntaxTreeNode, parent: SyntaxTreeNode) -> str:
        kind = node.type
        line = (parent.map[0] + 1) if parent.map else 0
        if kind == "text":
            text = "".join(self._text_part(part, line) for part in self._placeholder_parts(node.content))
            if "![" in node.content:
                # Picture syntax markdown-it left as text (a file: or other refused address): still refused.
                text = (
                    self._refuse(
                        line, gettext("pictures are not allowed in a report; charts come from chart directives.")
                    )
                    + " "
                    + text
                )
            return text
        if kind == "softbreak":
            return "\n"
        if kind == "hardbreak":
            return "\\\n"
        if kind == "code_inline":
            content = self.extracted.restore(node.content)
            ticks = "`" * (_longest_run(content, "`") + 1)
            pad = " " if content.startswith(("`", " ")) or content.endswith(("`", " ")) else ""
            return f"{ticks}{pad}{content}{pad}{ticks}"
        if kind in ("em", "strong"):
            mark = "*" if kind == "em" else "**"
            return mark + self._inline(node) + mark
        if kind == "link":
            return self._link(node)
        if kind == "image":
            return self._refuse(
                line, gettext("pictures are not allowed in a report; charts come from chart directives.")
            )
        if kind == "html_inline":
            return self._refuse(line, gettext("HTML is not allowed in a report; write Markdown."))
        return escape(node.content)

    def _text_part(self, part: str | int, line: int) -> str:
        if isinstance(part, str):
            return escape(part)
        item = self.extracted.items[part]
        if isinstance(item, Directive) and item.block:
            return self._refuse(item.line, gettext("a table or chart must stand on a line of its own."))
        figure = self.resolver.resolve(part, item)
        if isinstance(figure, Failure):
            return error_marker(figure.message)
        if not isinstance(figure, InlineFigure):
            raise TypeError("an inline directive resolves to an inline figure")
        return f"{escape(figure.text)}[^{figure.footnote}]"

    def _link(self, node: SyntaxTreeNode) -> str:
        """A link as its text and address (no hyperlink in any output); other schemes keep the text only."""
        href = self.extracted.restore(str(node.attrs.get("href", "")))
        text = self._inline(node)
        if not href.lower().startswith(LINK_SCHEMES):
            return text
        if node.markup == "autolink":
            return escape(href)
        return f"{text} ({escape(href)})"


def pipe_table(header: list[str], rows: list[list[str]]) -> str:
    """A pipe table of cells already escaped (| is escaped by escape())."""
    width = max([len(header), *(len(row) for row in rows)])

    def line(cells: list[str]) -> str:
        cells = [cell.replace("\n", " ") for cell in cells] + [""] * (width - len(cells))
        return "| " + " | ".join(cells) + " |"

    return "\n".join([line(header), "|" + "---|" * width, *(line(row) for row in rows)])


def footnote_definitions(footnotes: list[str]) -> str:
    return "\n".join(f"[^{number}]: {escape(text)}" for number, text in enumerate(footnotes, start=1))


def _longest_run(text: str, char: str) -> int:
    runs = re.findall(f"{re.escape(char)}+", text)
    return max((len(run) for run in runs), default=0)


def write_markdown(extracted: Extracted, resolver: Resolver, *, chart_mode: ChartMode, title: str) -> str:
    """The whole report in Markdown: title, body, then the footnote definitions."""
    body = MarkdownWriter(extracted, resolver, chart_mode=chart_mode).write(
        SyntaxTreeNode(user_parser().parse(extracted.text))
    )
    parts = [f"# {escape(title)}"] if title.strip() else []
    parts += [body] if body else []
    if resolver.footnotes:
        parts.append(footnote_definitions(resolver.footnotes))
    return "\n\n".join(parts) + "\n"
