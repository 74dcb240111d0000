"""Suppression is not blanket: on the demo data (`asylon demo`), the statistics page's aggregates
(catalogue.ENTRIES), released one after another through statistics_release, publish at least 90% of
the cells that count k or more people."""

from __future__ import annotations

import pytest

from asylon.accounts.models import Role
from asylon.ops.management.commands.demo import DEMO_PERSONS, DEMO_SEED
from asylon.ops.synth import synthesise
from asylon.reports.services.statistics import statistics_release
from asylon.reports.statistics.aggregates import count_table, question_from_params
from asylon.reports.statistics.catalogue import ENTRIES
from tests.factories import OrganisationFactory, staff


@pytest.mark.django_db
def test_at_least_nine_in_ten_cells_of_k_or_more_people_are_published() -> None:
    organisation = OrganisationFactory()
    synthesise(organisation=organisation, persons=DEMO_PERSONS, seed=DEMO_SEED)
    analyst = staff(organisation, Role.ANALYST)
    large = published = 0
    for entry in ENTRIES:
        question = question_from_params(entry.params)
        true = count_table(organisation=organisation, question=question)
        protected = statistics_release(actor=analyst, organisation=organisation, question=question)
        k = protected.rule.threshold
        large_here = [coordinates for coordinates, n in true.cells.items() if n >= k]
        large += len(large_here)
        published += sum(not protected.cells[coordinates].suppressed for coordinates in large_here)
    assert large > 40  # the demo data has enough large cells for the share to mean something
    assert published >= 0.9 * large, f"only {published} of {large} cells of k or more people published"
