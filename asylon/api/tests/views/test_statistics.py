"""/api/v1/statistics/: the same release as the statistics page (disclosure control, ledger, audit):
a count the page would suppress is suppressed here too; refusals are structured 4xx answers."""

from __future__ import annotations

import pytest

from asylon.accounts.models import Role
from asylon.api.views import statistics as statistics_views
from asylon.audit.models import AuditEntry
from asylon.reports.labels import lines
from asylon.reports.models import SuppressedPopulation
from asylon.reports.services.statistics import DisclosureRefused, statistics_release
from asylon.reports.statistics.aggregates import question_from_params
from asylon.reports.statistics.catalogue import BY_SLUG
from tests.factories import event_on, person_on_case, staff

pytestmark = pytest.mark.django_db
STATISTICS = "/api/v1/statistics/"


@pytest.fixture
def two_refusals(case):
    """Two people of Belarus refused a visa in 2024: fewer than k=5, so suppressed wherever shown."""
    for _ in range(2):
        event_on(case, person_on_case(case, citizenship="BY"), "visa_refused", 2024, 3)


def test_the_catalogue(api_client, caseworker):
    slugs = [row["slug"] for row in api_client(caseworker).get(STATISTICS).json()]
    assert slugs == list(BY_SLUG)


def test_a_small_count_is_suppressed_exactly_as_on_the_page(api_client, organisation, caseworker, two_refusals):
    response = api_client(caseworker).get(f"{STATISTICS}visa-refusals/", {"from_year": 2024, "to_year": 2024})
    assert response.status_code == 200
    body = response.json()
    assert body["rule"]["threshold"] == 5
    small = [line for line in body["lines"] if line["row"] == "2024" and line["column"] == "BY"]
    assert small == [
        {
            "row": "2024",
            "row_label": "2024",
            "column": "BY",
            "column_label": "Belarus",
            "value": None,
            "suppressed": True,
            "margin": False,
        }
    ]
    assert all(line["value"] is None for line in body["lines"] if line["suppressed"])
    assert not any(line["value"] == 2 for line in body["lines"])
    # The page's release of the same question (after the API's) gives the same verdict on every number.
    entry = BY_SLUG["visa-refusals"]
    question = question_from_params(entry.question_params({"from": "2024", "to": "2024"}))
    page = statistics_release(actor=caseworker, organisation=organisation, question=question)
    assert [(line.row, line.column, line.published.suppressed) for line in lines(page)] == [
        (line["row"], line["column"], line["suppressed"]) for line in body["lines"]
    ]
    # Released through the ledger and audited, as the page's figures are.
    assert SuppressedPopulation.objects.filter(organisation=organisation).exists()
    assert AuditEntry.objects.filter(action="statistics.release", actor=caseworker).count() == 2


def test_malformed_filters_are_400(api_client, caseworker):
    client = api_client(caseworker)
    response = client.get(f"{STATISTICS}visa-refusals/", {"from_year": 2025, "to_year": 2024})
    assert response.status_code == 400 and "to_year" in response.json()["fields"]
    assert client.get(f"{STATISTICS}visa-refusals/", {"citizenship": "ZZ"}).status_code == 400
    assert client.get(f"{STATISTICS}no-such-aggregate/").status_code == 404


def test_a_refused_release_is_409_with_the_reason(api_client, caseworker, monkeypatch):
    def refuse(**kwargs):
        raise DisclosureRefused("This selection differs from one published earlier by fewer than 5 people.")

    monkeypatch.setattr(statistics_views, "statistics_release", refuse)
    response = api_client(caseworker).get(f"{STATISTICS}visa-refusals/")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "This selection differs from one published earlier by fewer than 5 people.",
        "code": "disclosure_refused",
    }


@pytest.mark.parametrize(("role", "status"), [(Role.ANALYST, 200), (Role.VIEWER, 403), (Role.AUDITOR, 403)])
def test_who_may_read_statistics(api_client, organisation, role, status):
    assert api_client(staff(organisation, role)).get(f"{STATISTICS}appeals/").status_code == status
