"""A report as DOCX: pandoc from the final Markdown, with real Word footnotes and the charts as PNG.

Pandoc is the one pypandoc-binary ships (3.x, data files built in), never whatever `pandoc` is on
the PATH: Debian's 2.17 cannot write DOCX under `--sandbox` (jgm/pandoc#8128). Both steps run with
`--sandbox`, so pandoc reads no file and fetches no URL whatever the text says. The Markdown is
read into pandoc's document tree (JSON), which is checked against an allow-list before it is
written (defence in depth): no raw blocks or inlines, no links, and no image but our charts, which
are data URIs. Pandoc runs in an empty temporary directory, with a timeout and no shell.
"""

from __future__ import annotations

import json
import subprocess  # nosec B404
import tempfile
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pypandoc

if TYPE_CHECKING:
    from asylon.reports.reporting.engine import BuiltReport

TIMEOUT_SECONDS = 60
READER = "commonmark+footnotes+pipe_tables-raw_html"
ALLOWED_NODES = {
    "Para", "Plain", "Header", "BulletList", "OrderedList", "BlockQuote", "CodeBlock", "HorizontalRule",
    "Table", "Str", "Space", "SoftBreak", "LineBreak", "Emph", "Strong", "Code", "Note", "Image", "Div", "Span",
}  # fmt: skip
# Tags that only describe layout (alignment, column widths, list numbering), never content.
ALLOWED_NODES |= {
    "AlignDefault", "AlignLeft", "AlignRight", "AlignCenter", "ColWidthDefault", "ColWidth",
    "DefaultStyle", "Decimal", "Example", "LowerAlpha", "UpperAlpha", "LowerRoman", "UpperRoman",
    "DefaultDelim", "Period", "OneParen", "TwoParens",
}  # fmt: skip


class DocxRefused(ValueError):
    """The document tree held something a report may not carry into a DOCX."""


def report_docx(built: BuiltReport) -> bytes:
    """The DOCX bytes of a built report."""
    with tempfile.TemporaryDirectory(prefix="asylon-docx-") as empty:
        tree = _run(["--sandbox", "--from", READER, "--to", "json"], built.docx_markdown.encode("utf-8"), empty)
        document = json.loads(tree)
        check_tree(document, allowed_images={f"data:image/png;base64,{c}" for c in built.chart_png_base64()})
        return _run(["--sandbox", "--from", "json", "--to", "docx", "--output", "-"], tree, empty)


def _run(arguments: list[str], stdin: bytes, directory: str) -> bytes:
    result = subprocess.run(  # noqa: S603  # nosec B603 - fixed argument list, no shell
        [pypandoc.get_pandoc_path(), *arguments],
        input=stdin,
        capture_output=True,
        cwd=directory,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"pandoc failed with exit code {result.returncode}")
    return result.stdout


def check_tree(document: dict[str, Any], *, allowed_images: set[str]) -> None:
    """Refuse a pandoc tree with any node outside the allow-list or an image that is not our chart."""
    for node in _nodes(document.get("blocks", [])):
        kind = node["t"]
        if kind not in ALLOWED_NODES:
            raise DocxRefused(f"a report may not carry a {kind} node into DOCX")
        if kind == "Image" and node["c"][2][0] not in allowed_images:
            raise DocxRefused("a report's only images are its charts")


def _nodes(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        if "t" in value:
            yield value
        for child in value.values():
            yield from _nodes(child)
    elif isinstance(value, list):
        for child in value:
            yield from _nodes(child)
