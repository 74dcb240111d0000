"""figures_changed: what changed between two saved versions, figures matched by what they count."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from asylon.reports.versions import Change, figures_changed, keyed, published_values


def count(number, key, total, directive="{{count measure=event}}"):
    return {"number": number, "kind": "count", "directive": directive, "question": key, "values": {"total": total}}


def table(number, key, cells, by=("year",)):
    return {
        "number": number,
        "kind": "table",
        "directive": "{{table measure=event by=year}}",
        "question": key,
        "question_params": {"by": list(by)},
        "values": cells,
    }


def cited(number, code, value):
    return {
        "number": number,
        "kind": "cited",
        "directive": f"{{{{cited statistic={code}}}}}",
        "code": code,
        "value": value,
    }


def test_nothing_changed_gives_no_changes():
    figures = [count(1, "a", 12), cited(2, "threats", "over 1,165")]
    assert figures_changed(figures, [dict(f) for f in figures]) == []


def test_renumbered_footnotes_are_not_changes():
    before = [count(1, "a", 12), count(2, "b", 30)]
    after = [cited(1, "new", "about 300"), count(2, "a", 12), count(3, "b", 30)]
    changes = figures_changed(before, after)
    assert [(c.change, c.directive) for c in changes] == [(Change.ADDED, "{{cited statistic=new}}")]


def test_a_changed_value_shows_old_and_new():
    [change] = figures_changed([count(1, "a", 12)], [count(4, "a", 15)])
    assert (change.change, change.old, change.new, change.number) == (Change.CHANGED, 12, 15, 4)
    assert change.cell == "total"


def test_suppressed_and_published_both_ways():
    before = [table(1, "t", {"total": 40, "cell:2022": 6, "cell:2023": None})]
    after = [table(1, "t", {"total": 40, "cell:2022": None, "cell:2023": 9})]
    changes = {c.cell: c for c in figures_changed(before, after)}
    assert changes["cell:2022"].change is Change.SUPPRESSED and changes["cell:2022"].old == 6
    assert changes["cell:2023"].change is Change.PUBLISHED and changes["cell:2023"].new == 9
    assert "total" not in changes
    assert changes["cell:2022"].label == "2022"


def test_removed_figure_and_removed_cell():
    before = [count(1, "a", 5), table(2, "t", {"total": 10, "cell:2021": 10})]
    after = [table(1, "t", {"total": 10, "cell:2022": 10})]
    changes = [(c.change, c.cell) for c in figures_changed(before, after)]
    assert (Change.REMOVED, "cell:2021") in changes
    assert (Change.ADDED, "cell:2022") in changes
    assert (Change.REMOVED, "") in changes  # the count of question "a" is gone


def test_cited_figure_value_change_matched_by_code():
    [change] = figures_changed([cited(3, "threats", "over 1,165")], [cited(1, "threats", "1,644")])
    assert (change.change, change.old, change.new) == (Change.CHANGED, "over 1,165", "1,644")


def test_same_question_twice_is_matched_by_occurrence():
    before = [count(1, "a", 5), count(2, "a", 5)]
    after = [count(1, "a", 5)]
    [change] = figures_changed(before, after)
    assert change.change is Change.REMOVED and change.number == 2


def test_a_count_and_a_chart_of_one_question_are_different_figures():
    before = [count(1, "a", 5)]
    after = [{**count(1, "a", 5), "kind": "chart"}]
    assert sorted(c.change for c in figures_changed(before, after)) == [Change.ADDED, Change.REMOVED]


def test_rate_changes_are_reported_with_the_counts():
    rate = {
        "number": 1,
        "kind": "rate",
        "directive": "{{rate}}",
        "question": "r",
        "rate": "40 %",
        "values": {"total": 10},
    }
    [change] = figures_changed([rate], [{**rate, "rate": "45 %"}])
    assert (change.cell, change.old, change.new) == ("rate", "40 %", "45 %")


figure_strategy = st.builds(
    lambda kind, key, values: {"kind": kind, "question": key, "directive": f"{{{{{kind}}}}}", "values": values},
    st.sampled_from(["count", "table", "chart"]),
    st.sampled_from(["a", "b", "c"]),
    st.dictionaries(st.sampled_from(["total", "cell:2023", "cell:2024"]), st.none() | st.integers(0, 50), min_size=1),
)


@settings(derandomize=True, max_examples=200)
@given(st.lists(figure_strategy, max_size=6), st.randoms(use_true_random=False))
def test_renumbering_and_reordering_distinct_figures_change_nothing(figures, rng):
    """Moving figures about (new footnote numbers) is no change, as long as each is matched by what it counts."""
    unique = list({(f["kind"], f["question"]): f for f in figures}.values())
    shuffled = [dict(f) for f in unique]
    rng.shuffle(shuffled)
    for number, figure in enumerate(shuffled, 1):
        figure["number"] = number
    assert figures_changed(unique, shuffled) == []


@settings(derandomize=True, max_examples=200)
@given(st.lists(figure_strategy, max_size=6), st.lists(figure_strategy, max_size=6))
def test_no_change_reported_exactly_when_every_figure_shows_the_same(before, after):
    def shown(figures):
        return {key: published_values(figure) for key, figure in keyed(figures).items()}

    assert (figures_changed(before, after) == []) == (shown(before) == shown(after))
