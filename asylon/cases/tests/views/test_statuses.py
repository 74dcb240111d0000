"""Status period form pages: statuses grouped by kind, the pair checked by the service, the current one replaced."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from asylon.audit.models import AuditEntry
from asylon.cases.models import StatusPeriod
from asylon.cases.services.statuses import status_period_record
from tests.factories import case_with_member, person_on_case, sign_in

pytestmark = pytest.mark.django_db


def valid(person, **overrides):
    return {
        "person": str(person.pk),
        "kind": "liberty",
        "status": "detained_administrative",
        "started_on": "2024-02-01",
        "current": "on",
        **overrides,
    }


def test_the_add_page_groups_statuses_by_kind_and_names_the_parties(client, case, caseworker):
    person_on_case(case, given_name="Сяргей", family_name="Тэставы")
    sign_in(client, caseworker)
    response = client.get(reverse("cases:status_add", args=[case.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<optgroup label="liberty">' in page and 'value="detained_administrative"' in page
    assert "Тэставы Сяргей" in page


def test_a_caseworker_adds_a_status_and_the_previous_current_one_ends(client, case, caseworker):
    person = person_on_case(case)
    earlier = status_period_record(
        actor=caseworker, case=case, person=person, kind="liberty", status="free", started_on=datetime.date(2023, 1, 1)
    )
    sign_in(client, caseworker)
    response = client.post(reverse("cases:status_add", args=[case.pk]), valid(person))
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:case_detail", args=[case.pk])
    added = StatusPeriod.objects.get(status="detained_administrative")
    assert added.current and added.started_on == datetime.date(2024, 2, 1)
    earlier.refresh_from_db()
    assert (earlier.current, earlier.ended_on) == (False, datetime.date(2024, 2, 1))
    assert AuditEntry.objects.filter(action="status_period.create", target_id=str(added.pk)).exists()


def test_a_status_of_another_kind_shows_an_error_on_the_status_and_nothing_is_written(client, case, caseworker):
    person = person_on_case(case)
    sign_in(client, caseworker)
    response = client.post(reverse("cases:status_add", args=[case.pk]), valid(person, status="refugee"))
    assert response.status_code == 200
    assert "This status does not belong to the kind chosen." in response.content.decode()
    assert not StatusPeriod.objects.exists()


def test_htmx_gets_the_form_back_then_a_client_redirect(client, case, caseworker):
    person = person_on_case(case)
    sign_in(client, caseworker)
    url = reverse("cases:status_add", args=[case.pk])
    invalid = client.post(url, valid(person, started_on="yesterday"), HTTP_HX_REQUEST="true")
    assert invalid.content.decode().lstrip().startswith("<form")
    assert not StatusPeriod.objects.exists()
    done = client.post(url, valid(person), HTTP_HX_REQUEST="true")
    assert done["HX-Redirect"] == reverse("cases:case_detail", args=[case.pk])


def test_the_edit_page_ends_a_status(client, case, caseworker):
    person = person_on_case(case)
    period = status_period_record(
        actor=caseworker, case=case, person=person, kind="liberty", status="free", started_on=datetime.date(2023, 1, 1)
    )
    sign_in(client, caseworker)
    url = reverse("cases:status_edit", args=[case.pk, period.pk])
    assert 'value="2023-01-01"' in client.get(url).content.decode()
    response = client.post(
        url, valid(person, status="free", started_on="2023-01-01", ended_on="2023-01-31", current="")
    )
    assert response.status_code == 302
    stored = StatusPeriod.objects.get(pk=period.pk)
    assert (stored.current, stored.duration_days) == (False, 30)


def test_a_person_of_another_case_cannot_be_chosen(client, case, caseworker, organisation):
    stranger = person_on_case(case_with_member(organisation, caseworker))
    person_on_case(case)
    sign_in(client, caseworker)
    response = client.post(reverse("cases:status_add", args=[case.pk]), valid(stranger))
    assert response.status_code == 200
    assert not StatusPeriod.objects.exists()


def test_an_outsider_sees_nothing_and_a_period_of_another_case_is_not_found(
    client, case, caseworker, outsider, organisation
):
    other = case_with_member(organisation, caseworker)
    person = person_on_case(other)
    period = status_period_record(
        actor=caseworker, case=other, person=person, kind="liberty", status="free", started_on=datetime.date(2023, 1, 1)
    )
    sign_in(client, caseworker)
    assert client.get(reverse("cases:status_edit", args=[case.pk, period.pk])).status_code == 404
    sign_in(client, outsider)
    assert client.get(reverse("cases:status_add", args=[case.pk])).status_code == 404
    assert client.post(reverse("cases:status_edit", args=[other.pk, period.pk]), valid(person)).status_code == 404
    assert StatusPeriod.objects.get(pk=period.pk).status == "free"


def test_the_case_page_links_statuses_for_writers_not_viewers(client, case, caseworker, organisation):
    from asylon.accounts.models import Role
    from tests.factories import staff

    person = person_on_case(case)
    period = status_period_record(
        actor=caseworker, case=case, person=person, kind="liberty", status="free", started_on=datetime.date(2023, 1, 1)
    )
    links = [reverse("cases:status_add", args=[case.pk]), reverse("cases:status_edit", args=[case.pk, period.pk])]
    sign_in(client, caseworker)
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert all(link in page for link in links)
    viewer = staff(organisation, Role.VIEWER)
    case.memberships.create(organisation=organisation, user=viewer)
    sign_in(client, viewer)
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert not any(link in page for link in links)


def test_with_htmx_choosing_a_kind_offers_only_its_statuses(client, case, caseworker):
    person_on_case(case)
    sign_in(client, caseworker)
    url = reverse("cases:status_add", args=[case.pk])
    page = client.get(url).content.decode()
    assert f'hx-get="{url}"' in page and 'hx-select="#id_status"' in page
    response = client.get(url, {"kind": "liberty"}, HTTP_HX_REQUEST="true")
    part = response.content.decode()
    assert part.lstrip().startswith("<form")
    assert 'value="detained_administrative"' in part and 'value="refugee"' not in part
    assert "<optgroup" in client.get(url, {"kind": "nonsense"}).content.decode()  # unknown kind: all, grouped
