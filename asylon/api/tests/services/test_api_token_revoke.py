"""api_token_revoke: the holder or an organisation admin revokes at once; audited once; others refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from asylon.accounts.tokens import api_token_create, api_token_revoke
from asylon.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_the_holder_revokes_and_it_is_audited(organisation, caseworker):
    token = api_token_create(actor=caseworker, organisation=organisation, label="x").token

    api_token_revoke(actor=caseworker, token=token)

    token.refresh_from_db()
    assert token.revoked_at is not None
    entry = AuditEntry.objects.get(action="api_token.revoke")
    assert entry.actor == caseworker and entry.target_id == str(token.pk) and entry.organisation == organisation


def test_revoking_twice_changes_nothing(organisation, caseworker):
    token = api_token_create(actor=caseworker, organisation=organisation, label="x").token
    api_token_revoke(actor=caseworker, token=token)
    revoked_at = token.revoked_at

    api_token_revoke(actor=caseworker, token=token)

    token.refresh_from_db()
    assert token.revoked_at == revoked_at
    assert AuditEntry.objects.filter(action="api_token.revoke").count() == 1


def test_an_org_admin_revokes_a_colleagues_token(organisation, caseworker, org_admin):
    token = api_token_create(actor=caseworker, organisation=organisation, label="x").token
    api_token_revoke(actor=org_admin, token=token)
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_colleague_or_an_outsider_may_not(organisation, caseworker, lawyer, outsider):
    token = api_token_create(actor=caseworker, organisation=organisation, label="x").token
    for other in (lawyer, outsider):
        with pytest.raises(PermissionDenied):
            api_token_revoke(actor=other, token=token)
    token.refresh_from_db()
    assert token.revoked_at is None
    assert not AuditEntry.objects.filter(action="api_token.revoke").exists()
