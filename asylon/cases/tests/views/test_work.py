"""Task and deadline pages: forms with and without htmx, the in-place actions, and who is refused."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from asylon.accounts.models import Role
from asylon.audit.models import AuditEntry
from asylon.cases.models import Deadline, DeadlineStatus, Task
from asylon.cases.services.work import deadline_add, task_create
from tests.factories import case_with_member, sign_in, staff

pytestmark = pytest.mark.django_db
DUE = datetime.date(2025, 3, 20)


@pytest.fixture(autouse=True)
def in_english():
    """URLs and messages in the default language, whatever an earlier test's request left active."""
    with translation.override("en"):
        yield


def test_task_form_renders_with_the_case_members_to_choose_from(client, caseworker, lawyer, case, organisation):
    stranger = staff(organisation)
    page = sign_in(client, caseworker).get(reverse("cases:task_add", args=[case.pk])).content.decode()
    assert 'name="title"' in page and 'name="due_on"' in page
    assert lawyer.email in page and stranger.email not in page


def test_adding_a_task_redirects_to_the_case(client, caseworker, lawyer, case):
    sign_in(client, caseworker)
    response = client.post(
        reverse("cases:task_add", args=[case.pk]),
        {"title": "Prepare appeal", "assignee": lawyer.pk, "due_on": "2025-03-20"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("cases:case_detail", args=[case.pk])
    task = Task.objects.get(case=case)
    assert (task.title, task.assignee, task.due_on) == ("Prepare appeal", lawyer, DUE)


def test_htmx_gets_the_form_with_a_translated_error_and_nothing_is_saved(client, caseworker, case):
    sign_in(client, caseworker)
    response = client.post(
        reverse("cases:task_add", args=[case.pk]), {"title": "", "due_on": "not a date"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith("<form")
    assert "This field is required." in body and "Enter a valid date." in body
    assert not Task.objects.exists()


def test_editing_a_task(client, caseworker, case):
    task = task_create(actor=caseworker, case=case, title="Prepare appeal")
    sign_in(client, caseworker)
    url = reverse("cases:task_edit", args=[case.pk, task.pk])
    assert "Prepare appeal" in client.get(url).content.decode()
    response = client.post(url, {"title": "Prepare the appeal", "due_on": "2025-03-21"}, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == reverse("cases:case_detail", args=[case.pk])
    task.refresh_from_db()
    assert (task.title, task.due_on) == ("Prepare the appeal", datetime.date(2025, 3, 21))


def test_completing_a_task_with_htmx_updates_its_actions_in_place(client, caseworker, case):
    task = task_create(actor=caseworker, case=case, title="Prepare appeal")
    sign_in(client, caseworker)
    response = client.post(reverse("cases:task_complete", args=[case.pk, task.pk]), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and f'id="task-{task.pk}-actions"' in body and "Completed" in body
    task.refresh_from_db()
    assert task.completed_at is not None
    again = client.post(reverse("cases:task_complete", args=[case.pk, task.pk]), HTTP_HX_REQUEST="true")
    assert "already completed" in again.content.decode()


def test_completing_a_task_without_javascript_redirects_back(client, caseworker, case):
    task = task_create(actor=caseworker, case=case, title="Prepare appeal")
    other = task_create(actor=caseworker, case=case, title="Call the client")
    sign_in(client, caseworker)
    back = client.post(reverse("cases:task_complete", args=[case.pk, task.pk]), {"next": reverse("home")})
    assert back.status_code == 302 and back["Location"] == reverse("home")
    away = client.post(reverse("cases:task_complete", args=[case.pk, other.pk]), {"next": "https://evil.example/"})
    assert away["Location"] == reverse("cases:case_detail", args=[case.pk])


def test_complete_is_post_only(client, caseworker, case):
    task = task_create(actor=caseworker, case=case, title="Prepare appeal")
    assert sign_in(client, caseworker).get(reverse("cases:task_complete", args=[case.pk, task.pk])).status_code == 405


def test_a_task_named_under_another_case_is_not_found(client, caseworker, case, organisation):
    other_case = case_with_member(organisation, caseworker)
    task = task_create(actor=caseworker, case=other_case, title="Elsewhere")
    sign_in(client, caseworker)
    assert client.post(reverse("cases:task_complete", args=[case.pk, task.pk])).status_code == 404
    assert client.get(reverse("cases:task_edit", args=[case.pk, task.pk])).status_code == 404
    task.refresh_from_db()
    assert task.completed_at is None


def test_outsider_and_viewer_are_refused(client, outsider, case, organisation, caseworker):
    task = task_create(actor=caseworker, case=case, title="Prepare appeal")
    sign_in(client, outsider)
    assert client.get(reverse("cases:task_add", args=[case.pk])).status_code == 404
    assert client.post(reverse("cases:task_complete", args=[case.pk, task.pk])).status_code == 404
    viewer = staff(organisation, Role.VIEWER)
    case.memberships.create(organisation=organisation, user=viewer)
    sign_in(client, viewer)
    assert client.get(reverse("cases:deadline_add", args=[case.pk])).status_code == 403
    assert client.post(reverse("cases:task_complete", args=[case.pk, task.pk])).status_code == 403
    task.refresh_from_db()
    assert task.completed_at is None


def test_adding_a_deadline_by_hand(client, lawyer, case):
    sign_in(client, lawyer)
    url = reverse("cases:deadline_add", args=[case.pk])
    assert 'name="kind"' in client.get(url).content.decode()
    invalid = client.post(url, {"kind": "other", "title": "", "due_on": "2025-03-20"})
    assert invalid.status_code == 200 and "Say what is due" in invalid.content.decode()
    assert not Deadline.objects.exists()
    response = client.post(url, {"kind": "hearing", "title": "Oral hearing", "due_on": "2025-03-20"})
    assert response.status_code == 302
    deadline = Deadline.objects.get(case=case)
    assert (deadline.kind, deadline.title, deadline.due_on) == ("hearing", "Oral hearing", DUE)


def test_deadline_status_with_htmx_and_without(client, caseworker, case):
    first = deadline_add(actor=caseworker, case=case, kind="appeal", due_on=DUE)
    second = deadline_add(actor=caseworker, case=case, kind="appeal", due_on=DUE)
    sign_in(client, caseworker)
    response = client.post(
        reverse("cases:deadline_status", args=[case.pk, first.pk]), {"status": "met"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert f'id="deadline-{first.pk}-actions"' in body and "Marked as met." in body and 'value="open"' in body
    plain = client.post(reverse("cases:deadline_status", args=[case.pk, second.pk]), {"status": "cancelled"})
    assert plain.status_code == 302 and plain["Location"] == reverse("cases:case_detail", args=[case.pk])
    statuses = dict(Deadline.objects.values_list("pk", "status"))
    assert statuses == {first.pk: DeadlineStatus.MET, second.pk: DeadlineStatus.CANCELLED}
    assert AuditEntry.objects.filter(action="deadline.status").count() == 2


def test_an_unknown_status_changes_nothing(client, caseworker, case):
    deadline = deadline_add(actor=caseworker, case=case, kind="appeal", due_on=DUE)
    sign_in(client, caseworker)
    response = client.post(
        reverse("cases:deadline_status", args=[case.pk, deadline.pk]), {"status": "<script>"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "Choose met, missed, cancelled or open." in response.content.decode()
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.OPEN


def test_the_case_page_offers_the_controls_to_case_writers_only(client, caseworker, case, organisation):
    task = task_create(actor=caseworker, case=case, title="Prepare appeal")
    deadline = deadline_add(actor=caseworker, case=case, kind="appeal", due_on=DUE)
    controls = [
        reverse("cases:task_add", args=[case.pk]),
        reverse("cases:task_complete", args=[case.pk, task.pk]),
        reverse("cases:task_edit", args=[case.pk, task.pk]),
        reverse("cases:deadline_add", args=[case.pk]),
        reverse("cases:deadline_status", args=[case.pk, deadline.pk]),
    ]
    page = sign_in(client, caseworker).get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert all(url in page for url in controls)
    viewer = staff(organisation, Role.VIEWER)
    case.memberships.create(organisation=organisation, user=viewer)
    page = sign_in(client, viewer).get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert not any(url in page for url in controls)
