"""The members page: everyone who may open the case sees who else may; organisation admins change it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from asylon.accounts.models import Role
from asylon.audit.models import AuditEntry
from asylon.cases.models import CaseMembership
from tests.factories import sign_in, staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """Addresses and messages in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


def list_url(case):
    return reverse("cases:member_list", args=[case.pk])


def remove_url(case, user):
    return reverse("cases:member_remove", args=[case.pk, user.pk])


def test_an_admin_sees_members_with_their_roles_and_may_add_and_remove(client, org_admin, organisation, case, lawyer):
    newcomer = staff(organisation)
    sign_in(client, org_admin)
    page = client.get(list_url(case)).content.decode()
    assert lawyer.email in page and "lawyer" in page
    assert f'<option value="{newcomer.pk}">{newcomer.email}</option>' in page
    assert remove_url(case, lawyer) in page

    response = client.post(list_url(case), {"user": str(newcomer.pk)})
    assert response.status_code == 302 and response["Location"] == list_url(case)
    assert CaseMembership.objects.filter(case=case, user=newcomer).exists()
    assert AuditEntry.objects.filter(action="case.member_add", target_id=str(case.pk)).exists()

    response = client.post(remove_url(case, newcomer))
    assert response.status_code == 302 and response["Location"] == list_url(case)
    assert not CaseMembership.objects.filter(case=case, user=newcomer).exists()
    assert AuditEntry.objects.filter(action="case.member_remove", target_id=str(case.pk)).exists()


def test_analysts_and_current_members_are_not_offered(client, org_admin, organisation, case, caseworker):
    analyst = staff(organisation, Role.ANALYST)
    sign_in(client, org_admin)
    choices = [value for value, _label in client.get(list_url(case)).context["form"].fields["user"].choices]
    assert str(analyst.pk) not in [str(value) for value in choices]
    assert str(caseworker.pk) not in [str(value) for value in choices]


def test_a_user_of_another_organisation_cannot_be_added(client, org_admin, case, outsider):
    sign_in(client, org_admin)
    response = client.post(list_url(case), {"user": str(outsider.pk)})
    assert response.status_code == 200 and "user" in response.context["form"].errors
    assert not CaseMembership.objects.filter(user=outsider).exists()


def test_htmx_gets_only_the_form_back_and_a_client_redirect_on_success(client, org_admin, organisation, case):
    sign_in(client, org_admin)
    invalid = client.post(list_url(case), {"user": ""}, HTTP_HX_REQUEST="true")
    assert invalid.content.decode().lstrip().startswith("<form")
    valid = client.post(list_url(case), {"user": str(staff(organisation).pk)}, HTTP_HX_REQUEST="true")
    assert valid["HX-Redirect"] == list_url(case)


def test_a_caseworker_member_sees_the_list_but_changes_nothing(client, caseworker, lawyer, organisation, case):
    sign_in(client, caseworker)
    response = client.get(list_url(case))
    page = response.content.decode()
    assert response.status_code == 200 and lawyer.email in page
    assert "form" not in response.context and remove_url(case, lawyer) not in page
    assert client.post(list_url(case), {"user": str(staff(organisation).pk)}).status_code == 403
    assert client.post(remove_url(case, lawyer)).status_code == 403
    assert CaseMembership.objects.filter(case=case).count() == 2


def test_removing_someone_who_is_not_a_member_answers_404(client, org_admin, organisation, case):
    sign_in(client, org_admin)
    assert client.post(remove_url(case, staff(organisation))).status_code == 404


def test_removal_is_a_post(client, org_admin, case, lawyer):
    sign_in(client, org_admin)
    assert client.get(remove_url(case, lawyer)).status_code == 405
    assert CaseMembership.objects.filter(case=case, user=lawyer).exists()


def test_an_outsider_or_analyst_gets_404(client, outsider, analyst, case, lawyer):
    for user in (outsider, analyst):
        sign_in(client, user)
        assert client.get(list_url(case)).status_code == 404
        assert client.post(list_url(case), {"user": str(user.pk)}).status_code == 404
        assert client.post(remove_url(case, lawyer)).status_code == 404
    assert CaseMembership.objects.filter(case=case).count() == 2


def test_the_case_page_links_to_the_members_page(client, caseworker, org_admin, case):
    for user, label in ((caseworker, "Members and their roles"), (org_admin, "Manage members")):
        sign_in(client, user)
        page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
        assert f'<a href="{list_url(case)}">{label}</a>' in page
