"""The console's pages: who may open them, re-authentication before changes, what each change writes and audits."""

import pytest
from django.test import Client
from django.urls import reverse

from asylon.accounts.models import Membership, OrgPolicy, Role
from asylon.audit.models import AuditEntry
from asylon.cases.models import CaseMembership
from tests.factories import OrganisationFactory, case_with_member, sign_in, staff

pytestmark = pytest.mark.django_db


def url(name, organisation, *args):
    return reverse(f"orgadmin:{name}", args=[organisation.slug, *args])


def test_the_index_leads_an_admin_to_their_organisation_and_refuses_others(admin_client, organisation, caseworker):
    response = admin_client.get(reverse("orgadmin:index"))
    assert response.status_code == 302 and response["Location"] == url("dashboard", organisation)
    assert sign_in(Client(), caseworker).get(reverse("orgadmin:index")).status_code == 403


def test_an_admin_of_two_organisations_chooses(admin_client, org_admin, organisation):
    other = OrganisationFactory(name="Second organisation")
    Membership.objects.create(user=org_admin, organisation=other, role=Role.ORG_ADMIN)
    page = admin_client.get(reverse("orgadmin:index")).content.decode()
    assert url("dashboard", organisation) in page and url("dashboard", other) in page


def test_dashboard_counts_members_and_missing_second_factors(admin_client, organisation, caseworker):
    staff(organisation, Role.LAWYER)  # never signed in: no second factor
    page = admin_client.get(url("dashboard", organisation)).content.decode()
    assert "Without a second factor yet" in page
    response = admin_client.get(url("dashboard", organisation))
    overview = response.context["overview"]
    assert overview.members == 3 and overview.without_second_factor == 2  # caseworker and lawyer
    assert ("caseworker", 1) in overview.members_by_role


def test_another_organisation_is_not_found(admin_client):
    other = OrganisationFactory()
    for name in ("dashboard", "staff", "invitations", "policy"):
        assert admin_client.get(url(name, other)).status_code == 404


def test_users_list_shows_members_and_is_read_audited(admin_client, organisation, caseworker, outsider):
    page = admin_client.get(url("staff", organisation)).content.decode()
    assert caseworker.email in page and outsider.email not in page
    read = AuditEntry.objects.filter(action="read").latest("sequence")
    assert str(Membership.objects.get(user=caseworker).pk) in str(read.details)


def test_changes_ask_for_reauthentication_first(org_admin, organisation, caseworker):
    client = sign_in(Client(), org_admin)  # signed in, not re-authenticated
    for target in (
        url("policy", organisation),
        url("invitation_new", organisation),
        url("member_role", organisation, caseworker.pk),
        url("member_case_add", organisation, caseworker.pk),
    ):
        response = client.get(target)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(url("member_role", organisation, caseworker.pk), {"role": Role.LAWYER})
    assert response.status_code == 302
    assert Membership.objects.get(user=caseworker).role == Role.CASEWORKER


def test_role_change_from_the_member_page(admin_client, organisation, caseworker):
    assert "Change the role" in admin_client.get(url("member", organisation, caseworker.pk)).content.decode()
    response = admin_client.post(url("member_role", organisation, caseworker.pk), {"role": Role.LAWYER})

    assert response.status_code == 302 and response["Location"] == url("member", organisation, caseworker.pk)
    assert Membership.objects.get(user=caseworker).role == Role.LAWYER
    assert AuditEntry.objects.filter(action="membership.set", details__role=Role.LAWYER).exists()


def test_the_last_admin_cannot_step_down(admin_client, organisation, org_admin):
    response = admin_client.post(url("member_role", organisation, org_admin.pk), {"role": Role.VIEWER})
    assert response.status_code == 200
    assert "at least one admin" in response.content.decode()
    assert Membership.objects.get(user=org_admin).role == Role.ORG_ADMIN


def test_case_membership_added_by_reference_and_removed(admin_client, organisation, caseworker):
    case = case_with_member(organisation)
    response = admin_client.post(url("member_case_add", organisation, caseworker.pk), {"reference": "NO-SUCH-1"})
    assert response.status_code == 200 and "No case of this organisation" in response.content.decode()
    assert not CaseMembership.objects.filter(user=caseworker).exists()

    response = admin_client.post(url("member_case_add", organisation, caseworker.pk), {"reference": case.reference})
    assert response.status_code == 302
    assert CaseMembership.objects.filter(user=caseworker, case=case).exists()
    assert AuditEntry.objects.filter(action="case.member_add", details__user=str(caseworker.pk)).exists()
    assert case.reference in admin_client.get(url("member", organisation, caseworker.pk)).content.decode()

    remove = url("member_case_remove", organisation, caseworker.pk, case.pk)
    assert "will no longer open" in admin_client.get(remove).content.decode()
    assert admin_client.post(remove).status_code == 302
    assert not CaseMembership.objects.filter(user=caseworker, case=case).exists()
    assert AuditEntry.objects.filter(action="case.member_remove", details__user=str(caseworker.pk)).exists()


def test_another_organisations_case_cannot_be_given(admin_client, organisation, caseworker):
    foreign = case_with_member(OrganisationFactory())
    response = admin_client.post(url("member_case_add", organisation, caseworker.pk), {"reference": foreign.reference})
    assert response.status_code == 200
    assert not CaseMembership.objects.filter(user=caseworker).exists()
    assert admin_client.get(url("member_case_remove", organisation, caseworker.pk, foreign.pk)).status_code == 404


def test_policy_page_saves_every_setting(admin_client, organisation):
    data = {
        "totp_roles": [Role.CASEWORKER, Role.LAWYER],
        "disclosure_threshold": "8",
        "closed_case_retention_days": "2555",
        "intake_retention_days": "30",
    }
    response = admin_client.post(url("policy", organisation), data)

    assert response.status_code == 302
    policy = OrgPolicy.objects.get(organisation=organisation)
    assert (policy.disclosure_threshold, policy.closed_case_retention_days, policy.intake_retention_days) == (
        8,
        2555,
        30,
    )
    assert policy.mfa_methods[Role.LAWYER] == ["totp", "webauthn"]
    assert policy.mfa_methods[Role.VIEWER] == ["webauthn"]
    assert AuditEntry.objects.filter(action="policy.update").exists()
    assert AuditEntry.objects.filter(action="policy.mfa_methods").exists()


def test_policy_page_refuses_bad_values_with_a_message(admin_client, organisation):
    before = OrgPolicy.objects.values().get(organisation=organisation)
    response = admin_client.post(
        url("policy", organisation),
        {"disclosure_threshold": "1", "closed_case_retention_days": "many", "intake_retention_days": "90"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"disclosure_threshold", "closed_case_retention_days"}
    assert OrgPolicy.objects.values().get(organisation=organisation) == before
    assert not AuditEntry.objects.filter(action="policy.update").exists()


def test_admins_see_the_organisation_link(admin_client, organisation, caseworker):
    assert reverse("orgadmin:index") in admin_client.get(reverse("home")).content.decode()
    assert reverse("orgadmin:index") not in sign_in(Client(), caseworker).get(reverse("home")).content.decode()


def test_analysts_are_not_made_case_members(admin_client, organisation, analyst):
    case = case_with_member(organisation)
    response = admin_client.post(url("member_case_add", organisation, analyst.pk), {"reference": case.reference})
    assert response.status_code == 200 and "aggregates only" in response.content.decode()
    assert not CaseMembership.objects.filter(user=analyst).exists()


def test_the_console_links_every_section(admin_client, organisation):
    page = admin_client.get(url("dashboard", organisation)).content.decode()
    for name in ("staff", "invitations", "policy", "security"):
        assert url(name, organisation) in page
    assert reverse("ops:retention", args=[organisation.slug]) in page
