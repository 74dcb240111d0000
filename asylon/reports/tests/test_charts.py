"""chart_svg and chart_png: self-contained, CSP-safe, deterministic, suppressed bars marked."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache

from asylon.reports.charts import chart_png, chart_svg
from asylon.reports.tests.protected_tables import one_way, total_only, two_way, wide
from tests.naughty import naughty_strings

SVG = "{http://www.w3.org/2000/svg}"
TITLE = "Пагрозы нацыянальнай бяспецы: ąčęėįšųūž <b>&amp;"
SVG_ELEMENTS = {"svg", "title", "defs", "g", "path", "use", "clipPath", "rect", "pattern"}
TABLES = {"two_way": two_way, "one_way": one_way, "total_only": total_only}


@pytest.fixture(params=sorted(TABLES))
def table(request):
    return TABLES[request.param]()


def test_svg_is_self_contained_and_csp_safe(table):
    svg = chart_svg(table, title=TITLE)
    assert svg.startswith("<svg")
    root = ET.fromstring(svg)  # well-formed XML, so the title text was escaped
    lowered = svg.lower()
    assert "<script" not in lowered and "javascript:" not in lowered and "onload" not in lowered
    assert "<style" not in lowered and " style=" not in lowered, "the page's CSP (style-src 'self') drops inline styles"
    assert "<foreignobject" not in lowered and "<image" not in lowered and "<metadata" not in lowered
    # No reference leaves the document: the only URLs are the two XML namespace names.
    without_namespaces = svg.replace('xmlns="http://www.w3.org/2000/svg"', "").replace(
        'xmlns:xlink="http://www.w3.org/1999/xlink"', ""
    )
    assert "http" not in without_namespaces and "//" not in re.sub(r'd="[^"]*"', "", without_namespaces)
    for element in root.iter():
        for name, value in element.attrib.items():
            if name.endswith("href"):
                assert value.startswith("#"), value


def test_svg_has_an_accessible_title(table):
    root = ET.fromstring(chart_svg(table, title=TITLE))
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == TITLE
    assert root.get("role") == "img" and root.get("aria-labelledby") == title.get("id")


def test_svg_is_deterministic():
    first = chart_svg(two_way(), title="a")
    cache.clear()  # draw it again, not from the cache
    assert chart_svg(two_way(), title="a") == first
    assert chart_png(two_way(), title="a") == chart_png(two_way(), title="a")


def test_ids_differ_between_charts_so_two_on_one_page_do_not_clash():
    ids = [set(re.findall(r' id="([^"]+)"', chart_svg(make(), title="t"))) for make in (two_way, one_way)]
    assert ids[0] and ids[1] and not ids[0] & ids[1]


def test_every_internal_reference_resolves():
    svg = chart_svg(two_way(), title="t")
    ids = set(re.findall(r' id="([^"]+)"', svg))
    references = set(re.findall(r"url\(#([^)]+)\)", svg)) | set(re.findall(r'href="#([^"]+)"', svg))
    assert references and references <= ids


def test_suppressed_cells_are_marked_not_drawn_as_values():
    svg = chart_svg(two_way(), title="t")
    # Glyphs are paths, so the word is not in the text; the hatched, dashed empty bars are.
    assert svg.count("stroke-dasharray") >= 2
    assert 'fill="none"' in svg


def test_png_is_a_png():
    assert chart_png(one_way(), title=TITLE).startswith(b"\x89PNG\r\n\x1a\n")


def test_the_cache_tells_tables_and_titles_apart():
    assert chart_svg(two_way(), title="a") != chart_svg(two_way(), title="b")
    assert chart_svg(one_way(), title="a") != chart_svg(two_way(), title="a")


@pytest.mark.sqlite_only
def test_naughty_labels_are_drawn_never_run_or_parsed(monkeypatch):
    """Category and series names are edited data (term labels): matplotlib must neither parse them
    as mathtext ("$") nor let them into the markup."""
    from asylon.reports import charts

    strings = [value for value in naughty_strings() if value.strip()][::3]
    window: list[str] = []

    def naughty(name, codes):
        return {code: window[index % len(window)] for index, code in enumerate(codes)}

    monkeypatch.setattr(charts, "value_labels", naughty)
    monkeypatch.setattr(charts, "dimension_label", lambda name: "$\\frac{<script>")
    for start in range(0, len(strings), 12):  # 12 strings a chart: 10 rows, 2 series
        window[:] = strings[start : start + 12]
        svg = chart_svg(wide(10), title=window[0])
        root = ET.fromstring(svg)
        assert "<script" not in svg.lower()
        assert {element.tag.split("}")[1] for element in root.iter()} <= SVG_ELEMENTS
