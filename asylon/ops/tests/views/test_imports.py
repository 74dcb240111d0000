"""The import pages: upload, map (with saved profiles), check, import, error file, discard, profile delete;
permissions (analysts, viewers, another organisation) and bad input shown on the form with nothing written."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from asylon.accounts.models import Membership, Role
from asylon.audit.models import AuditEntry
from asylon.ops.models import ImportProfile, ImportRun, ImportStatus
from asylon.ops.services.imports import import_check, import_map, import_upload
from asylon.ops.tests.imports.conftest import HEADERS, ROWS, csv_bytes, upload_of
from asylon.people.models import Person
from tests.factories import OrganisationFactory, sign_in, staff

pytestmark = pytest.mark.django_db
LIST = reverse("ops:import_list")
HTMX = {"HX-Request": "true"}
BAD_ROW = ["Bad", "Row", "31.02.1990", "", "", "", "", ""]


def detail(run) -> str:
    return reverse("ops:import_detail", args=[run.pk])


def map_url(run) -> str:
    return reverse("ops:import_map", args=[run.pk])


def mapping_post(headers=HEADERS, targets=None, **extra) -> dict[str, str]:
    """The mapping form as posted: one field per column, the suggested target unless told otherwise."""
    from asylon.ops.imports.targets import suggested_mapping

    suggested = suggested_mapping(headers)
    targets = targets or {}
    data = {f"column_{index}": targets.get(header, suggested[header]) for index, header in enumerate(headers)}
    return {**data, "date_order": "day_first", "save_profile_as": "", **extra}


@pytest.fixture
def uploaded(organisation, caseworker):
    """A function: a run of a sheet, uploaded (not yet mapped)."""

    def make(rows=ROWS, headers=HEADERS, organisation=organisation, actor=caseworker):
        return import_upload(actor=actor, organisation=organisation, upload=upload_of(csv_bytes(headers, rows)))

    return make


@pytest.fixture
def checked(uploaded, caseworker):
    """A run with a bad row, mapped with the suggested mapping and checked."""
    from asylon.ops.imports.targets import suggested_mapping

    run = uploaded([*ROWS, BAD_ROW])
    import_map(actor=caseworker, run=run, mapping=suggested_mapping(HEADERS), options={})
    return import_check(actor=caseworker, run=run)


def test_upload_stores_the_run_and_leads_to_the_mapping_page(client, caseworker, organisation):
    sign_in(client, caseworker)
    page = client.get(LIST).content.decode()
    assert 'type="file"' in page and "at most 50.0 MB" in page
    response = client.post(
        LIST, {"organisation": str(organisation.pk), "upload": upload_of(csv_bytes(HEADERS, ROWS))}
    )
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == map_url(run)
    assert (run.organisation, run.actor, run.status, run.rows_total) == (organisation, caseworker, "uploaded", 3)
    assert AuditEntry.objects.filter(action="import.upload", actor_id=caseworker.pk).exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("old.xls", b"\xd0\xcf\x11\xe0 not a workbook", "not a readable XLSX workbook"),
        ("empty.csv", b"", "The submitted file is empty."),
        ("people.csv", "Имя,Имя\nA,B\n".encode(), "Two columns have the same name"),
    ],
)
def test_a_bad_upload_is_a_form_error_and_nothing_is_written(client, caseworker, organisation, name, data, message):
    sign_in(client, caseworker)
    response = client.post(LIST, {"organisation": str(organisation.pk), "upload": upload_of(data, name)})
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert 'class="errorlist' in page
    assert not ImportRun.objects.exists()


def test_a_file_over_the_limit_is_refused_before_it_is_read(client, caseworker, organisation, settings):
    settings.ASYLON_IMPORT_LIMITS = {"upload_bytes": 1024}
    sign_in(client, caseworker)
    response = client.post(LIST, {"organisation": str(organisation.pk), "upload": upload_of(b"a,b\n" * 1000)})
    assert response.status_code == 200 and "The file is larger than" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_the_list_shows_only_the_organisations_runs(client, caseworker, organisation, uploaded):
    mine = uploaded(rows=ROWS[:1])
    elsewhere = OrganisationFactory()
    theirs = uploaded(organisation=elsewhere, actor=staff(elsewhere))
    sign_in(client, caseworker)
    page = client.get(LIST).content.decode()
    assert detail(mine) in page and detail(theirs) not in page
    assert 'name="organisation"' in page and 'type="hidden"' in page  # one organisation: no choice offered


def test_a_member_of_two_organisations_picks_one(client, caseworker, organisation, uploaded):
    second = OrganisationFactory(name="Zeta")
    Membership.objects.create(user=caseworker, organisation=second, role=Role.CASEWORKER)
    first_run = uploaded()
    second_run = uploaded(organisation=second)
    sign_in(client, caseworker)
    page = client.get(LIST).content.decode()
    assert "<select" in page and detail(first_run) in page and detail(second_run) not in page
    page = client.get(LIST, {"organisation": str(second.pk)}).content.decode()
    assert detail(second_run) in page and detail(first_run) not in page
    assert f'value="{second.pk}"' in page


def test_the_mapping_page_shows_headers_samples_and_suggested_targets(client, caseworker, uploaded):
    run = uploaded()
    sign_in(client, caseworker)
    page = client.get(map_url(run)).content.decode()
    for header in HEADERS:
        assert header in page
    assert "Сяргей" in page and "Olena" in page  # the first values, shown only here
    assert '<option value="person.family_name" selected>' in page
    assert "<optgroup" in page


def test_mapping_saves_a_profile_and_starts_the_check(
    client, caseworker, organisation, uploaded, django_capture_on_commit_callbacks
):
    run = uploaded([*ROWS, BAD_ROW])
    sign_in(client, caseworker)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(map_url(run), mapping_post(save_profile_as="Our register"))
    assert response.status_code == 302 and response["Location"] == detail(run)
    run.refresh_from_db()
    assert run.status == ImportStatus.CHECKED
    profile = ImportProfile.objects.get(organisation=organisation, name="Our register")
    assert profile.mapping["Фамилия"] == "person.family_name" and run.profile == profile
    page = client.get(detail(run)).content.decode()
    assert "Problems in 1 row" in page and "Дата рождения" in page and "<td>5</td>" in page
    assert "Import the valid rows, leave out the row with problems" in page
    assert 'value="all"' not in page  # all rows only when nothing is wrong
    assert Person.objects.count() == 0  # a check writes nothing


def test_a_target_chosen_twice_is_marked_on_the_column_and_nothing_is_saved(client, caseworker, uploaded):
    run = uploaded()
    sign_in(client, caseworker)
    data = mapping_post(targets={"Имя": "person.family_name"}, save_profile_as="Twice")
    response = client.post(map_url(run), data)
    page = response.content.decode()
    assert response.status_code == 200 and "is already filled from the column “Фамилия”" in page
    run.refresh_from_db()
    assert (run.status, run.mapping) == ("uploaded", {})
    assert not ImportProfile.objects.exists()


def test_an_unknown_target_is_refused_on_its_column(client, caseworker, uploaded):
    run = uploaded()
    sign_in(client, caseworker)
    response = client.post(map_url(run), mapping_post(targets={"Имя": "person.shoe_size"}), headers=HTMX)
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page
    assert "Select a valid choice" in page
    assert ImportRun.objects.get().mapping == {}


def test_a_mapping_without_a_name_column_is_the_services_error(client, caseworker, uploaded):
    run = uploaded()
    sign_in(client, caseworker)
    data = mapping_post(targets={"Фамилия": "", "Имя": ""})
    page = client.post(map_url(run), data).content.decode()
    assert "Map at least one column to the family name or the given name." in page
    assert ImportRun.objects.get().status == "uploaded"


def test_a_saved_profile_fills_in_the_mapping_page(client, caseworker, organisation, uploaded):
    ImportProfile.objects.create(
        organisation=organisation, name="Register", mapping={"Имя": "person.family_name", "Фамилия": ""}
    )
    run = uploaded()
    sign_in(client, caseworker)
    profile = ImportProfile.objects.get()
    page = client.get(map_url(run), {"profile": str(profile.pk)}).content.decode()
    family = page.split('name="column_1"')[1].split("</select>")[0]
    assert '<option value="person.family_name" selected>' in family
    assert reverse("ops:import_profile_delete", args=[profile.pk]) in page


def test_importing_only_the_valid_rows_then_downloading_the_error_file(
    client, caseworker, checked, django_capture_on_commit_callbacks
):
    sign_in(client, caseworker)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(detail(checked), {"mode": "valid_only"})
    assert response.status_code == 302
    checked.refresh_from_db()
    assert checked.status == ImportStatus.DONE and Person.objects.count() == 2
    page = client.get(detail(checked)).content.decode()
    errors_url = reverse("ops:import_errors", args=[checked.pk])
    assert "Imported" in page and errors_url in page
    assert "The 2 new cases are in your case list" in page and reverse("cases:case_list") in page
    response = client.get(errors_url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"]
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0][: len(HEADERS)] == HEADERS
    assert [line[:3] for line in lines[1:]] == [BAD_ROW[:3]]


def test_import_all_of_a_clean_file(client, caseworker, uploaded, django_capture_on_commit_callbacks):
    from asylon.ops.imports.targets import suggested_mapping

    run = uploaded()
    import_map(actor=caseworker, run=run, mapping=suggested_mapping(HEADERS), options={})
    import_check(actor=caseworker, run=run)
    sign_in(client, caseworker)
    page = client.get(detail(run)).content.decode()
    assert "Import all rows" in page and "valid rows" not in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail(run), {"mode": "all"})
    run.refresh_from_db()
    assert run.status == ImportStatus.DONE and Person.objects.count() == 2
    assert reverse("ops:import_errors", args=[run.pk]) not in client.get(detail(run)).content.decode()


def test_a_bad_mode_and_a_second_import_are_refused_on_the_page(client, caseworker, checked):
    sign_in(client, caseworker)
    response = client.post(detail(checked), {"mode": "some"})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    ImportRun.objects.filter(pk=checked.pk).update(status=ImportStatus.DONE)
    response = client.post(detail(checked), {"mode": "all"})
    assert response.status_code == 400 and "it cannot do that now" in response.content.decode()
    assert Person.objects.count() == 0


def test_progress_is_polled_with_htmx_and_the_page_reloads_when_done(client, caseworker, uploaded):
    from asylon.ops.imports.progress import progress_set

    run = uploaded()
    ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.IMPORTING)
    progress_set(run.pk, 2, 3)
    sign_in(client, caseworker)
    page = client.get(detail(run)).content.decode()
    assert "2 of 3 rows" in page and 'hx-trigger="every 2s"' in page and "Refresh" in page
    partial = client.get(detail(run), headers=HTMX).content.decode()
    assert "2 of 3 rows" in partial and "<html" not in partial
    ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.DONE)
    response = client.get(detail(run), headers=HTMX)
    assert response["HX-Refresh"] == "true"


def test_a_stalled_import_offers_its_discard(client, caseworker, uploaded):
    import datetime

    from django.utils import timezone

    from asylon.ops.models import STALLED_AFTER

    run = uploaded()
    ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.IMPORTING)
    sign_in(client, caseworker)
    discard = reverse("ops:import_discard", args=[run.pk])
    assert discard not in client.get(detail(run)).content.decode()
    stopped = timezone.now() - STALLED_AFTER - datetime.timedelta(minutes=1)
    ImportRun.objects.filter(pk=run.pk).update(updated_at=stopped)
    page = client.get(detail(run)).content.decode()
    assert "the worker running it stopped" in page and discard in page
    response = client.post(discard)
    assert response.status_code == 302
    assert ImportRun.objects.get(pk=run.pk).status == ImportStatus.DISCARDED


def test_duplicate_candidates_link_to_the_person_when_visible(client, org_admin, caseworker, organisation, uploaded):
    from asylon.ops.imports.targets import suggested_mapping
    from asylon.ops.services.imports import import_commit

    first = uploaded(rows=ROWS[:1])
    import_map(actor=caseworker, run=first, mapping=suggested_mapping(HEADERS), options={})
    import_commit(actor=caseworker, run=import_check(actor=caseworker, run=first), mode="all")
    existing = Person.objects.get()
    # Probably the same person: Latin letters, the year of birth only, another case.
    second = uploaded(rows=[["Ivanou", "Siarhei", "1990", "IMP-2", "", "", "", ""]])
    import_map(actor=caseworker, run=second, mapping=suggested_mapping(HEADERS), options={})
    import_check(actor=caseworker, run=second)
    sign_in(client, org_admin)
    page = client.get(detail(second)).content.decode()
    assert "Possible duplicates" in page
    assert reverse("people:person_detail", args=[existing.pk]) in page


def test_discarding_asks_first_then_ends_the_run(client, caseworker, uploaded):
    run = uploaded()
    url = reverse("ops:import_discard", args=[run.pk])
    sign_in(client, caseworker)
    assert "Discard this import?" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302
    run.refresh_from_db()
    assert response["Location"] == detail(run)
    assert run.status == ImportStatus.DISCARDED and not run.file_stored
    assert "was discarded" in client.get(detail(run)).content.decode()


def test_the_error_file_of_an_import_can_be_deleted(client, caseworker, checked, django_capture_on_commit_callbacks):
    sign_in(client, caseworker)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail(checked), {"mode": "valid_only"})
    url = reverse("ops:import_discard", args=[checked.pk])
    assert url in client.get(detail(checked)).content.decode()
    assert "Delete the error file of this import?" in client.get(url).content.decode()
    client.post(url)
    checked.refresh_from_db()
    assert checked.status == ImportStatus.DONE and not checked.error_file_stored
    assert client.get(reverse("ops:import_errors", args=[checked.pk])).status_code == 404
    assert Person.objects.count() == 2  # what was imported stays


def test_deleting_a_profile_asks_first_and_is_audited(client, caseworker, organisation):
    profile = ImportProfile.objects.create(organisation=organisation, name="Old", mapping={"A": "person.given_name"})
    url = reverse("ops:import_profile_delete", args=[profile.pk])
    sign_in(client, caseworker)
    assert "Delete the mapping profile “Old”?" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302 and response["Location"].startswith(LIST)
    assert not ImportProfile.objects.exists()
    entry = AuditEntry.objects.get(action="import.profile_delete")
    assert entry.actor_id == caseworker.pk and entry.target_id == str(profile.pk)


@pytest.mark.parametrize("role", [Role.ANALYST, Role.VIEWER, Role.AUDITOR])
def test_roles_that_may_not_import_are_refused_everywhere(client, organisation, uploaded, role):
    run = uploaded()
    profile = ImportProfile.objects.create(organisation=organisation, name="P", mapping={})
    sign_in(client, staff(organisation, role))
    assert client.get(LIST).status_code == 403
    assert client.post(LIST, {"organisation": str(organisation.pk), "upload": upload_of(b"a\n1\n")}).status_code == 403
    for url in (
        detail(run),
        map_url(run),
        reverse("ops:import_discard", args=[run.pk]),
        reverse("ops:import_errors", args=[run.pk]),
        reverse("ops:import_profile_delete", args=[profile.pk]),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, mapping_post()).status_code in (404, 405), url
    assert ImportRun.objects.count() == 1 and ImportProfile.objects.count() == 1
    run.refresh_from_db()
    assert run.status == "uploaded"


def test_another_organisation_sees_none_of_it(client, organisation, checked):
    profile = ImportProfile.objects.create(organisation=organisation, name="P", mapping={})
    outsider = staff(OrganisationFactory())
    sign_in(client, outsider)
    assert detail(checked) not in client.get(LIST).content.decode()
    for url in (
        detail(checked),
        map_url(checked),
        reverse("ops:import_errors", args=[checked.pk]),
        reverse("ops:import_discard", args=[checked.pk]),
        reverse("ops:import_profile_delete", args=[profile.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(detail(checked), {"mode": "valid_only"}).status_code == 404
    assert client.post(reverse("ops:import_profile_delete", args=[profile.pk])).status_code == 404
    checked.refresh_from_db()
    assert checked.status == ImportStatus.CHECKED and ImportProfile.objects.exists()


def test_the_navigation_offers_imports_to_those_who_may_import(client, caseworker, analyst):
    sign_in(client, caseworker)
    assert f'href="{LIST}"' in client.get(reverse("home")).content.decode()
    sign_in(client, analyst)
    assert f'href="{LIST}"' not in client.get(reverse("home")).content.decode()


def test_an_operator_opens_no_organisations_imports(client, checked):
    from asylon.accounts.models import User

    operator = User.objects.create_superuser("operator@example.org", "correct horse battery staple 42")
    sign_in(client, operator)
    assert client.get(LIST).status_code == 403
    for url in (detail(checked), map_url(checked), reverse("ops:import_discard", args=[checked.pk])):
        assert client.get(url).status_code == 404, url
    assert client.post(detail(checked), {"mode": "valid_only"}).status_code == 404
    checked.refresh_from_db()
    assert checked.status == ImportStatus.CHECKED


def test_a_long_list_of_problems_is_paginated(client, caseworker, uploaded):
    from asylon.ops.imports.targets import suggested_mapping

    bad = [[f"Bad{number}", "Row", "31.02.1990", "", "", "", "", ""] for number in range(60)]
    run = uploaded([*ROWS, *bad])
    import_map(actor=caseworker, run=run, mapping=suggested_mapping(HEADERS), options={})
    import_check(actor=caseworker, run=run)
    sign_in(client, caseworker)
    first = client.get(detail(run)).content.decode()
    assert "Problems in 60 rows" in first and "Page 1 of 2" in first and "?page=2" in first
    assert "<td>54</td>" in first and "<td>55</td>" not in first  # rows 5 to 54 on the first page
    second = client.get(detail(run), {"page": "2"}).content.decode()
    assert "<td>55</td>" in second and "<td>64</td>" in second and "<td>54</td>" not in second


def test_a_bad_upload_posted_with_htmx_answers_with_the_form_alone(client, caseworker, organisation):
    sign_in(client, caseworker)
    response = client.post(
        LIST, {"organisation": str(organisation.pk), "upload": upload_of(b"", "empty.csv")}, headers=HTMX
    )
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page and "<form" in page
    assert "The submitted file is empty." in page
