"""Building a report from directives (fake figure sources): footnotes, suppression, citations, errors."""

from __future__ import annotations

import datetime
import json

from asylon.reports.reporting.engine import build_report, report_html_page, report_markdown
from asylon.reports.tests.reporting.fakes import SVG, FakeSources

AS_OF = datetime.datetime(2026, 11, 1, 9, 30, tzinfo=datetime.UTC)


def build(markdown: str, **kwargs):
    return build_report(
        actor=None, organisation=None, markdown=markdown, title="Objectors 2023", sources=FakeSources(), **kwargs
    )


def test_footnotes_are_numbered_in_reading_order_across_text_tables_and_charts():
    built = build(
        "# Heading with {{count measure=event}}\n\n"
        "{{chart measure=event by=year}}\n\n"
        "Then {{cited statistic=moi-2023}} and {{count measure=decision}}.\n\n"
        "{{table measure=event by=year,citizenship}}\n"
    )
    assert built.errors == []
    assert [figure["number"] for figure in built.figures] == [1, 2, 3, 4, 5]
    assert [figure["kind"] for figure in built.figures] == ["count", "chart", "cited", "count", "table"]
    markdown = built.markdown
    positions = [markdown.index(f"[^{n}]") for n in range(1, 6)]
    assert positions == sorted(positions)
    for n in range(1, 6):
        assert f"\n[^{n}]: " in markdown
    assert len(built.footnotes) == 5
    assert built.html.count('class="footnote-item"') == 5


def test_a_case_figure_footnote_gives_question_n_as_of_and_rule():
    built = build("There were {{count measure=event citizenship=BY}} people.", as_of=AS_OF)
    assert "There were 42[^1] people." in built.markdown
    footnote = built.footnotes[0]
    assert footnote.startswith("People with *event* events")
    assert "N = 42" in footnote
    assert "2026-11-01" in footnote
    assert "Counts below 5 people are suppressed" in footnote
    figure = built.figures[0]
    assert figure["n"] == 42 and figure["values"] == {"total": 42}
    assert figure["as_of"] == AS_OF.isoformat()
    assert figure["directive"] == "{{count measure=event citizenship=BY}}"
    json.dumps(built.figures)


def test_a_suppressed_count_says_so_and_never_bounds_it():
    built = build("Only {{count measure=event citizenship=XS}} people.")
    assert "Only suppressed (disclosure control)[^1] people." in built.markdown
    assert "N = suppressed (disclosure control)" in built.footnotes[0]
    assert built.figures[0]["n"] is None
    for text in (built.markdown, built.html):
        assert "fewer than" not in text.lower()
        assert "< 5" not in text and "&lt; 5" not in text


def test_a_table_shows_suppressed_cells_in_words_with_a_caption_and_footnote():
    built = build("{{table measure=event by=year,citizenship}}")
    assert "*Table: People with \\*event\\* events by year, citizenship*[^1]" in built.markdown
    assert "| 2022 | 20 | suppressed | 22 |" in built.markdown
    assert "<table>" in built.html and "<td>suppressed</td>" in built.html
    assert built.figures[0]["values"]["cell:2022|RU"] is None
    assert built.figures[0]["values"]["row:2022"] == 22


def test_a_chart_is_inline_svg_in_html_with_its_data_table_and_only_the_table_in_markdown():
    built = build("{{chart measure=event by=year}}")
    assert SVG in built.html and SVG in built.print_html
    assert built.html.index(SVG) < built.html.index("<td>suppressed</td>")
    assert "<svg" not in built.markdown
    assert "| 2023 | suppressed |" in built.markdown
    assert len(built.charts) == 1 and built.charts[0].png.startswith(b"\x89PNG")


def test_an_outside_figure_is_cited_in_its_footnote():
    built = build("About {{cited statistic=moi-2023}} crossed.")
    assert "About about 2,000 persons[^1] crossed." in built.markdown
    assert built.footnotes == ["Ministry of the Interior, press release <b>moi-2023</b>, 1 November 2023"]
    assert "[^1]: Ministry of the Interior, press release \\<b\\>moi-2023\\</b\\>" in built.markdown
    assert "&lt;b&gt;moi-2023" in built.html and "<b>" not in built.html
    assert built.figures[0]["code"] == "moi-2023" and built.figures[0]["citation"].startswith("Ministry")


def test_the_appeal_rate_is_won_over_decided_and_suppressed_when_a_part_is():
    built = build("{{rate of=x}} and {{rate citizenship=XS}}")
    assert "60%[^1]" in built.markdown
    assert "suppressed (disclosure control)[^2]" in built.markdown
    assert built.footnotes[0].startswith("Appeals won as a share of appeals won or lost.")
    assert build("{{rate measure=event}}").errors == ["Line 1: rate works only with measure=appeal."]


def test_errors_are_listed_with_lines_and_marked_in_place_without_raising():
    built = build(
        "Fine.\n\n{{count measure=event colour=red}}\n\n"
        "{{count measure=event year=1999}} {{cited statistic=missing}}\n\nx {{table measure=event by=year}}"
    )
    assert built.errors == [
        "Line 3: Unknown parameter “colour”.",
        "Line 5: there is no outside figure with that code.",
        "Line 7: a table or chart must stand on a line of its own.",
    ]
    for error in built.errors:
        assert error in built.html
    page = report_html_page(built)
    assert "3 errors" in page and "Line 3: Unknown parameter" in page


def test_a_figure_refused_by_differencing_is_withheld_with_its_reason_not_an_error():
    built = build("Threats: {{count measure=event year=1999}}.\n\n{{table measure=event year=1999 by=year}}\n")
    assert built.errors == []
    assert built.markdown.count("withheld (disclosure control)") == 2
    assert "Withheld: This question differs from an earlier one by too few people." in built.footnotes[0]
    assert [figure["withheld"] for figure in built.figures] == [True, True]
    assert all(figure["values"] == {"total": None} for figure in built.figures)


def test_directives_in_code_are_shown_not_computed():
    sources = FakeSources()
    built = build_report(
        actor=None,
        organisation=None,
        title="t",
        sources=sources,
        markdown="Use `{{count measure=event}}`:\n\n```\n{{table measure=event by=year}}\n```\n",
    )
    assert sources.released == [] and built.figures == [] and built.errors == []
    assert "`{{count measure=event}}`" in built.markdown
    assert "<code>{{count measure=event}}</code>" in built.html


def test_links_keep_text_and_address_but_no_hyperlink():
    built = build(
        "See [the law](https://example.org/law_1), <mailto:a@example.org> and "
        "[here](javascript:alert(1)) [f](/etc/passwd)."
    )
    assert "the law (https://example.org/law\\_1)" in built.markdown
    assert "mailto:a@example.org" in built.markdown
    assert "javascript" not in built.html.replace("[here](javascript:alert(1))", "")
    assert "<a " not in built.html.replace('<a href="#fn', "")
    assert "/etc/passwd" not in built.markdown


def test_markdown_output_is_the_final_markdown():
    built = build("Text.")
    assert report_markdown(built) == built.markdown == "# Objectors 2023\n\nText.\n"
