"""Every aggregate of the statistics page is a valid question, with and without the page's filters,
and the database answers it."""

from __future__ import annotations

import pytest

from asylon.reports.statistics.aggregates import count_table, question_from_params
from asylon.reports.statistics.catalogue import BY_SLUG, ENTRIES

FILTERS = ({}, {"from": "2023", "to": "2024"}, {"citizenship": "BY"}, {"from": "2022", "citizenship": "RU"})


def test_slugs_are_unique_and_file_safe():
    assert len(BY_SLUG) == len(ENTRIES)
    for entry in ENTRIES:
        assert entry.slug.replace("-", "").isalnum() and entry.slug.islower()


@pytest.mark.parametrize("filters", FILTERS)
def test_every_entry_is_a_valid_question_the_database_answers(dataset, filters):
    for entry in ENTRIES:
        question = question_from_params(entry.question_params(filters))
        table = count_table(organisation=dataset.organisation, question=question)
        assert table.total >= 0


def test_the_threat_entry_counts_the_dataset(dataset):
    question = question_from_params(BY_SLUG["national-security-threats"].question_params({"citizenship": "BY"}))
    table = count_table(organisation=dataset.organisation, question=question)
    assert table.total == 2  # ales and bela; ivan is Russian, the other organisation's person not counted
