"""The sample report in docs/examples/ is what Asylon builds today from the demo data.

Rebuilt from its source over the demo's synthetic persons and the outside figures, with a fixed
as-of time: the Markdown must equal the committed copy, and the PDF's text (pdftotext) must show
every figure and every footnote. `make sample-report` (ASYLON_SAMPLE_REPORT_WRITE=1) writes both anew.
"""

from __future__ import annotations

import difflib
import os
import re
import subprocess  # nosec B404: pdftotext on a PDF this test wrote
import unicodedata

import pytest

from asylon.reports import sample_report
from asylon.reports.reporting.engine import report_markdown, report_pdf

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_only]
WRITE = os.environ.get("ASYLON_SAMPLE_REPORT_WRITE") == "1"


def squeezed(text: str) -> str:
    """Text with every kind of space removed and compatibility characters folded (ligatures, NBSP),
    so that line breaks and justification in the PDF do not matter."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def shown_values(figure: dict) -> list[str]:
    """What a figure put in the text: a cited figure's words, a rate, every published count."""
    if figure["kind"] == "cited":
        return [figure["value"]]
    shown = [str(value) for value in figure.get("values", {}).values() if value is not None]
    if figure["kind"] == "rate":
        shown.append(figure["rate"])
    return shown


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            report = sample_report.sample_build(sample_report.sample_world())
            transaction.set_rollback(True)
    return report


def test_the_sample_report_builds_without_errors(built):
    assert built.errors == []
    assert sum(figure["kind"] == "chart" for figure in built.figures) >= 3
    assert {"count", "cited", "table", "chart", "rate"} <= {figure["kind"] for figure in built.figures}


def test_the_committed_markdown_is_what_the_source_builds(built):
    markdown = report_markdown(built)
    if WRITE:
        sample_report.GENERATED_MARKDOWN.write_text(markdown, encoding="utf-8")
    committed = sample_report.GENERATED_MARKDOWN.read_text(encoding="utf-8")
    if markdown != committed:
        diff = "".join(
            difflib.unified_diff(
                committed.splitlines(keepends=True),
                markdown.splitlines(keepends=True),
                "committed",
                "rebuilt",
                n=1,
            )
        )
        pytest.fail(f"{sample_report.GENERATED_MARKDOWN.name} is out of date; run `make sample-report`:\n{diff[:4000]}")


def test_the_pdf_shows_every_figure_and_footnote(built, tmp_path):
    pdf = report_pdf(built)
    if WRITE:
        sample_report.GENERATED_PDF.write_bytes(pdf)
    path = tmp_path / "sample.pdf"
    path.write_bytes(pdf)
    text = squeezed(
        subprocess.run(  # nosec B603 B607: a fixed command on a file this test wrote
            ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
        ).stdout
    )
    missing = [
        f"note {figure['number']}: {value!r}"
        for figure in built.figures
        for value in shown_values(figure)
        if squeezed(value) not in text
    ]
    missing += [f"footnote {number}" for number, note in enumerate(built.footnotes, 1) if squeezed(note) not in text]
    assert not missing, "the PDF lacks:\n" + "\n".join(missing)
    assert sample_report.GENERATED_PDF.read_bytes().startswith(b"%PDF")
