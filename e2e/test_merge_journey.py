"""Duplicates in the browser: a caseworker searches the records for duplicates, sees the pair of one
man recorded in Belarusian Cyrillic and in passport Latin, confirms it is them again, compares the two
side by side, merges them, and finds that the merged record's old address leads to the one that stayed."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from asylon.people.models import DuplicateCandidate, Person
from asylon.people.services import person_create
from e2e.conftest import sign_in_context
from tests.factories import TEST_PASSWORD, OrganisationFactory, case_with_member, staff

pytestmark = [pytest.mark.sqlite_only, pytest.mark.django_db(transaction=True)]


def test_see_a_candidate_compare_merge_and_the_old_url_redirects(live_server, page, reference_data):
    organisation = OrganisationFactory()
    caseworker = staff(organisation)
    first_case, second_case = case_with_member(organisation, caseworker), case_with_member(organisation, caseworker)
    cyrillic = person_create(
        actor=caseworker,
        case=first_case,
        given_name="Сяргей",
        family_name="Іваноў",
        birth_date=datetime.date(1990, 3, 4),
    )
    latin = person_create(
        actor=caseworker, case=second_case, given_name="Siarhei", family_name="Ivanou", birth_year=1990
    )
    base = live_server.url
    sign_in_context(page.context, base, caseworker)

    page.goto(f"{base}/people/duplicates/")
    expect(page.locator("main")).to_contain_text("No possible duplicates to review.")
    page.get_by_role("button", name="Search all records for duplicates").click()
    pairs = page.get_by_role("table")
    expect(pairs).to_contain_text("Сяргей")
    expect(pairs).to_contain_text("Siarhei")
    expect(pairs).to_contain_text("same year of birth")

    page.get_by_role("link", name="Compare").click()
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))  # merging needs a fresh sign-in
    page.fill('input[name="password"]', TEST_PASSWORD)
    page.press('input[name="password"]', "Enter")
    expect(page.locator("h1")).to_have_text("Compare two records")
    comparison = page.locator("table.duplicates-compare")
    expect(comparison).to_contain_text("Іваноў")
    expect(comparison).to_contain_text("Ivanou")

    candidate = DuplicateCandidate.objects.get()
    survivor_id, merged_id = candidate.person_id, candidate.other_id
    page.get_by_role("button", name="Merge the records").click()
    expect(page).to_have_url(re.compile(rf"/people/{survivor_id}/$"))
    expect(page.locator("h1")).to_contain_text("Сяргей" if survivor_id == cyrillic.pk else "Siarhei")
    assert list(Person.objects.values_list("pk", flat=True)) == [survivor_id]
    assert {cyrillic.pk, latin.pk} == {survivor_id, merged_id}

    page.goto(f"{base}/people/{merged_id}/")
    expect(page).to_have_url(re.compile(rf"/people/{survivor_id}/$"))
