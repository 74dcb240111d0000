"""The PDF renderer fetches the app's own static files and nothing else."""

from __future__ import annotations

import pytest

from asylon.common.pdf import BASE_URL, RefusedResource, render_pdf, static_only_fetcher


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.org/style.css",
        "https://example.org/static/asylon/print.css",
        "data:text/css,body{}",
        BASE_URL + "static/../../etc/passwd",
        BASE_URL + "static/asylon/%2e%2e/%2e%2e/etc/passwd",
        BASE_URL + "static/asylon/vendor/htmx-2.0.11.min.js",
        BASE_URL + "etc/passwd",
    ],
)
def test_everything_but_static_files_is_refused(url):
    with pytest.raises((RefusedResource, ValueError)):
        static_only_fetcher()(url)


def test_a_static_stylesheet_is_served():
    response = static_only_fetcher()(BASE_URL + "static/asylon/print.css")
    assert response.content_type == "text/css"
    assert b"@page" in response.read()


@pytest.mark.sqlite_only
def test_a_pdf_is_rendered_without_fetching_outside(settings, tmp_path):
    pdf = render_pdf("cases/summary_pdf.html", {"case": {"reference": "R-1"}, "people": [], "timeline": []})
    assert pdf.startswith(b"%PDF")
