"""Reads of the outside figures: by organisation, by code, and only where the user may read statistics."""

from __future__ import annotations

import pytest

from asylon.accounts.models import Role
from asylon.reports.models import ExternalStatistic
from asylon.reports.selectors import external_statistic_get, external_statistics_of
from asylon.reports.selectors.external_statistics import external_statistic_find
from asylon.reports.services.outside_figures import outside_figures_load
from tests.factories import OrganisationFactory, staff

pytestmark = pytest.mark.django_db


def test_figures_are_read_per_organisation_by_code(organisation, caseworker, analyst):
    other = OrganisationFactory()
    outside_figures_load(actor=None, organisation=organisation)
    outside_figures_load(actor=None, organisation=other)
    codes = list(external_statistics_of(organisation=organisation).values_list("code", flat=True))
    assert codes == sorted(codes) and "by_threats_2024" in codes
    ours = external_statistic_get(organisation=organisation, code="by_threats_2024")
    assert ours.organisation == organisation
    with pytest.raises(ExternalStatistic.DoesNotExist):
        external_statistic_get(organisation=organisation, code="no_such_figure")
    theirs = external_statistic_get(organisation=other, code="by_threats_2024")
    assert external_statistic_find(user=caseworker, statistic_id=ours.pk) == ours
    for user, statistic in ((analyst, theirs), (staff(organisation, Role.VIEWER), ours)):
        with pytest.raises(ExternalStatistic.DoesNotExist):
            external_statistic_find(user=user, statistic_id=statistic.pk)
