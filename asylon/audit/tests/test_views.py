"""The auditor's pages: their organisation's log, filtered; checkpoints behind re-authentication."""

import time

import pytest
from django.urls import reverse

from asylon.accounts.models import Role
from asylon.audit.checkpoints import checkpoint_create
from asylon.audit.models import AuditEntry
from asylon.audit.services import record
from tests.factories import OrganisationFactory, sign_in, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor(organisation):
    return staff(organisation, Role.AUDITOR)


def test_auditor_sees_their_organisation_only(client, auditor, organisation, case):
    other = OrganisationFactory()
    record(actor=None, action="case.open", target=case)
    record(actor=None, action="case.open", organisation=other, details={"marker": "other-org"})
    sign_in(client, auditor)

    response = client.get(reverse("audit:entry_list"))

    assert response.status_code == 200
    entries = list(response.context["page"])
    assert entries and all(entry.organisation_id in (organisation.pk, None) for entry in entries)
    assert "other-org" not in response.content.decode()


def test_filters_narrow_the_log(client, auditor, case, caseworker):
    record(actor=caseworker, action="case.update", target=case)
    record(actor=None, action="note.create", target=case)
    sign_in(client, auditor)

    response = client.get(reverse("audit:entry_list"), {"action": "case.update", "actor": caseworker.email})

    assert [entry.action for entry in response.context["page"]] == ["case.update"]
    response = client.get(reverse("audit:entry_list"), {"target_type": "cases.case", "target_id": str(case.pk)})
    assert {entry.action for entry in response.context["page"]} >= {"case.update", "note.create"}


def test_an_unknown_actor_matches_nothing(client, auditor, case):
    record(actor=None, action="case.update", target=case)
    sign_in(client, auditor)

    for actor in ("nobody@example.org", "00000000-0000-0000-0000-000000000000"):
        response = client.get(reverse("audit:entry_list"), {"actor": actor})
        assert list(response.context["page"]) == []


def test_actor_filter_takes_a_user_id(client, auditor, case, caseworker):
    record(actor=caseworker, action="case.update", target=case)
    sign_in(client, auditor)

    response = client.get(reverse("audit:entry_list"), {"actor": str(caseworker.pk), "action": "case."})

    assert [entry.action for entry in response.context["page"]] == ["case.update"]


def test_staff_sign_ins_appear_in_their_organisation_log(client, auditor, caseworker):
    record(actor=caseworker, action="login", target=caseworker)
    sign_in(client, auditor)

    response = client.get(reverse("audit:entry_list"), {"action": "login"})

    assert str(caseworker.pk) in [entry.target_id for entry in response.context["page"]]


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.LAWYER, Role.ANALYST, Role.VIEWER])
def test_other_roles_are_refused(client, organisation, role):
    sign_in(client, staff(organisation, role))

    assert client.get(reverse("audit:entry_list")).status_code == 403
    assert client.get(reverse("audit:checkpoint_list")).status_code == 403


def test_checkpoint_list_shows_the_public_key(client, org_admin, chain):
    from asylon.audit.signing import instance_public_key

    checkpoint_create()
    sign_in(client, org_admin)

    response = client.get(reverse("audit:checkpoint_list"))

    assert instance_public_key().text in response.content.decode()


def test_checkpoint_download_needs_reauthentication_and_is_audited(client, auditor, chain):
    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY

    checkpoint = checkpoint_create()
    sign_in(client, auditor)
    session = client.session
    for method in session[AUTHENTICATION_METHODS_SESSION_KEY]:
        method["at"] -= 3600  # signed in an hour ago
    session.save()
    url = reverse("audit:checkpoint_download", args=[checkpoint.pk])

    response = client.get(url)
    assert response.status_code == 302 and reverse("account_reauthenticate") in response.url

    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY].append(
        {"method": "mfa", "type": "totp", "at": time.time(), "reauthenticated": True}
    )
    session.save()
    response = client.get(url)

    assert response.status_code == 200
    assert response.json()["sequence"] == checkpoint.sequence
    assert AuditEntry.objects.filter(action="audit.checkpoint_download", actor=auditor).exists()
