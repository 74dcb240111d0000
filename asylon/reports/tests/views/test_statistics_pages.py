"""The statistics pages: the key aggregates as charts and tables on synthetic data, the filters, the
CSV downloads (formula-escaped), the open-data package, and who may see them."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.urls import reverse
from frictionless import validate

from asylon.accounts.models import Role
from asylon.ops.synth import synthesise
from asylon.reports.statistics.catalogue import ENTRIES
from asylon.vocab.models import Term
from tests.factories import CaseFactory, decision_on, event_on, person_on_case, sign_in, staff
from tests.naughty import naughty_strings

PAGE = reverse("reports:statistics")
OPEN_DATA = reverse("reports:statistics_open_data")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")


def csv_url(slug: str) -> str:
    return reverse("reports:statistics_csv", args=[slug])


@pytest.fixture
def seeded(organisation):
    synthesise(organisation=organisation, persons=60, seed=23)
    return organisation


@pytest.fixture
def analyst_client(client, seeded, analyst):
    return sign_in(client, analyst)


def rows_of(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.mark.parametrize("role", [Role.ANALYST, Role.CASEWORKER, Role.LAWYER, Role.ORG_ADMIN])
def test_the_page_shows_every_aggregate_to_statistics_readers(client, seeded, role):
    sign_in(client, staff(seeded, role))
    response = client.get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    for entry in ENTRIES:
        assert f'id="{entry.slug}"' in page and str(entry.title) in page
    assert page.count("<svg") >= 1 and "<script" not in page.split("<main", 1)[1]
    assert "Counts below 5 people are suppressed" in page
    assert f'href="{csv_url("national-security-threats")}"' in page and f'href="{OPEN_DATA}"' in page


@pytest.mark.parametrize("role", [Role.VIEWER, Role.AUDITOR])
def test_viewers_and_auditors_are_refused(client, seeded, role):
    sign_in(client, staff(seeded, role))
    for url in (PAGE, csv_url("appeals"), OPEN_DATA):
        assert client.get(url).status_code == 403


def test_the_nav_offers_statistics_only_to_readers(client, seeded):
    sign_in(client, staff(seeded, Role.VIEWER))
    assert f'href="{PAGE}"' not in client.get(reverse("home")).content.decode()
    sign_in(client, staff(seeded, Role.ANALYST))
    assert f'href="{PAGE}"' in client.get(reverse("home")).content.decode()


def test_suppressed_cells_read_suppressed_and_are_never_a_number(client, organisation, analyst):
    """Three Belarusians and seven Russians declared threats in 2023: the Belarusian count is
    below k = 5 and is shown as suppressed (the total of ten is published, so RU is too)."""
    case = CaseFactory(organisation=organisation)
    for index in range(10):
        person = person_on_case(case, citizenship="BY" if index < 3 else "RU")
        event_on(case, person, "declared_national_security_threat", 2023, 5)
    sign_in(client, analyst)
    page = client.get(PAGE, {"from_year": "2023", "to_year": "2023"}).content.decode()
    section = page.split('id="national-security-threats"', 1)[1].split("</section>", 1)[0]
    assert "suppressed" in section
    assert "<td>3</td>" not in section
    rows = rows_of(client.get(csv_url("national-security-threats"), {"from_year": "2023", "to_year": "2023"}))
    assert ["2023", "Belarus", "", "suppressed"] in rows
    assert not any(row[-2:] == ["3", "published"] for row in rows)


def test_filters_narrow_the_question(analyst_client):
    response = analyst_client.get(PAGE, {"from_year": "2023", "to_year": "2024", "citizenship": "BY"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "citizenship: Belarus" in page and "from 2023-01 to 2024-12" in page
    rows = rows_of(
        analyst_client.get(csv_url("appeals"), {"from_year": "2023", "to_year": "2024", "citizenship": "BY"})
    )
    assert "citizenship: Belarus" in rows[0][1] and "from 2023-01 to 2024-12" in rows[0][1]


@pytest.mark.parametrize(
    "params",
    [
        {"from_year": "2024", "to_year": "2020"},
        {"from_year": "twenty"},
        {"to_year": "99999999999999999999"},
        {"citizenship": "XX"},
        {"organisation": "not-a-uuid"},
    ],
)
def test_bad_filters_are_a_message_not_an_error(analyst_client, params):
    response = analyst_client.get(PAGE, params)
    assert response.status_code == 400
    assert "Some filters were not understood" in response.content.decode()
    assert analyst_client.get(csv_url("appeals"), params).status_code == 400
    assert analyst_client.get(OPEN_DATA, params).status_code == 400


@pytest.mark.sqlite_only
def test_naughty_filter_values_never_fail(analyst_client):
    for value in naughty_strings()[::7]:
        params = {"from_year": value, "citizenship": value, "organisation": value}
        assert analyst_client.get(PAGE, params).status_code in (200, 400)
        assert analyst_client.get(csv_url("entry-bans"), params).status_code in (200, 400)


def test_an_unknown_aggregate_is_not_found(analyst_client):
    assert analyst_client.get(csv_url("no-such-aggregate")).status_code == 404


def test_a_refused_question_is_a_message_in_its_place(analyst_client, monkeypatch):
    from asylon.reports.services.statistics import DisclosureRefused
    from asylon.reports.views import statistics as views

    def refuse(*args, **kwargs):
        raise DisclosureRefused("Refused for the test.")

    monkeypatch.setattr(views, "statistics_release", refuse)
    response = analyst_client.get(PAGE)
    assert response.status_code == 200
    assert response.content.decode().count("Refused for the test.") == len(ENTRIES)
    refused = analyst_client.get(csv_url("appeals"))
    assert refused.status_code == 400 and "Refused for the test." in refused.content.decode()


def test_csv_names_the_question_rule_and_time_and_escapes_formulas(client, organisation, analyst):
    """A term whose label starts with "=" (labels are edited data) reaches the CSV with a leading quote."""
    term = Term.objects.get(vocabulary__code="grounds", code="cadet_or_military_school", organisation__isnull=True)
    term.labels = {**term.labels, "en": "=1+1"}
    term.save()
    case = CaseFactory(organisation=organisation)
    for _index in range(6):
        person = person_on_case(case, citizenship="BY")
        decision = decision_on(case, "visa", event=event_on(case, person, "visa_refused", 2024, 2))
        decision.grounds.add(term)
    sign_in(client, analyst)
    response = client.get(csv_url("grounds"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="grounds.csv"' in response["Content-Disposition"]
    rows = rows_of(response)
    assert rows[0][0] == "Question" and rows[1][0] == "Disclosure rule" and rows[2][0] == "As of"
    assert ["'=1+1", "6", "published"] in rows
    for row in rows:
        for field in row:
            assert not field.startswith(FORMULA_STARTS)


def test_open_data_package_holds_a_csv_per_aggregate(analyst_client, tmp_path):
    response = analyst_client.get(OPEN_DATA, {"from_year": "2022"})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path)
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldNumber", "type", "note"])
    # An aggregate refused by the differencing check is left out; the rest are there.
    assert "datapackage.json" in names and len(names) > len(ENTRIES) // 2
    assert names <= {"datapackage.json", *(f"{entry.slug}.csv" for entry in ENTRIES)}


def test_members_of_several_organisations_choose_whose_records_are_counted(client, organisation, analyst):
    from asylon.accounts.models import Membership
    from tests.factories import OrganisationFactory

    other, closed = OrganisationFactory(name="Another"), OrganisationFactory(name="Closed")
    Membership.objects.create(user=analyst, organisation=other, role=Role.ANALYST)
    Membership.objects.create(user=analyst, organisation=closed, role=Role.VIEWER)
    case = CaseFactory(organisation=other)
    for _index in range(6):
        event_on(case, person_on_case(case, citizenship="BY"), "expulsion_or_deportation", 2024, 3)
    sign_in(client, analyst)
    page = client.get(PAGE).content.decode()
    assert 'name="organisation"' in page and "Closed" not in page  # only where statistics may be read
    rows = rows_of(client.get(csv_url("expulsions"), {"organisation": str(other.pk)}))
    assert ["2024", "6", "published"] in rows
    assert client.get(PAGE, {"organisation": str(closed.pk)}).status_code == 400


def test_the_page_speaks_the_interface_language(analyst_client):
    response = analyst_client.get("/lt" + PAGE)
    assert response.status_code == 200
    assert '<html lang="lt">' in response.content.decode()


def test_counts_can_be_asked_rounded_and_the_rule_says_so(analyst_client):
    page = analyst_client.get(PAGE, {"rounding": "5"})
    assert page.status_code == 200 and "rounded to the nearest 5" in page.text
    download = analyst_client.get(csv_url(ENTRIES[0].slug), {"rounding": "5"})
    assert download.status_code == 200 and "rounded to the nearest 5" in download.content.decode()
    assert analyst_client.get(PAGE, {"rounding": "7"}).status_code == 400
