"""PDF and DOCX outputs: real footnotes, page numbers, Cyrillic and Lithuanian text, charts."""

from __future__ import annotations

import io
import subprocess
import zipfile

import pytest

from asylon.reports.reporting.engine import build_report, report_docx, report_html_page, report_pdf
from asylon.reports.tests.reporting.fakes import FakeSources

TEXT = """## Отказники и уклонисты

Lietuvos migracijos departamentas: ąčęėįšųūž ĄČĘĖĮŠŲŪŽ. In 2023 {{count measure=event citizenship=BY}} people.

{{table measure=event by=year}}

Outside: {{cited statistic=moi-2023}}.

{{chart measure=event by=year}}
"""


def built_report():
    return build_report(
        actor=None, organisation=None, markdown=TEXT, title="Ataskaita — Отчёт 2023", sources=FakeSources()
    )


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.sqlite_only
def test_the_pdf_has_a_cover_page_numbers_footnotes_and_both_scripts(tmp_path):
    built = built_report()
    assert built.errors == []
    text = pdf_text(report_pdf(built), tmp_path)
    assert "Ataskaita — Отчёт 2023" in text
    assert "Page 1 of" in text and "Page 2 of" in text
    assert "Отказники и уклонисты" in text
    assert "ąčęėįšųūž ĄČĘĖĮŠŲŪŽ" in text
    assert "Ministry of the Interior, press release" in text
    assert text.count("Counts below 5 people are suppressed") >= 3  # each case figure's footnote
    # footnotes sit at the foot of the page they are called on, not in a list at the end
    first_body_page = text.split("\f")[1]
    assert "N = 42" in first_body_page


@pytest.mark.sqlite_only
def test_the_pdf_fonts_cover_cyrillic_without_missing_glyphs(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(report_pdf(built_report()))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "DejaVu" in fonts or "Noto" in fonts


@pytest.mark.sqlite_only
def test_the_docx_has_word_footnotes_and_the_chart():
    built = built_report()
    with zipfile.ZipFile(io.BytesIO(report_docx(built))) as docx:
        footnotes = docx.read("word/footnotes.xml").decode()
        document = docx.read("word/document.xml").decode()
        media = [name for name in docx.namelist() if name.startswith("word/media/")]
    assert footnotes.count("<w:footnote ") >= len(built.footnotes)
    assert "Ministry of the Interior, press release" in footnotes
    assert "Counts below 5 people are suppressed" in footnotes
    assert document.count("w:footnoteReference") == len(built.footnotes)
    assert "Отказники и уклонисты" in document
    assert len(media) == 1


def test_the_app_page_shows_title_as_of_and_body():
    page = report_html_page(built_report())
    assert "Ataskaita — Отчёт 2023" in page
    assert "Figures as of" in page
    assert "<svg" in page and 'class="footnotes"' in page
