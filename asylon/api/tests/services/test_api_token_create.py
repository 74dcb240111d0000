"""api_token_create: the secret returned once, only its digest stored; scope, label and expiry checked; audited."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from asylon.accounts.models import ApiToken, ApiTokenScope, Role
from asylon.accounts.tokens import DEFAULT_LIFETIME_DAYS, TOKEN_PREFIX, api_token_create, token_digest
from asylon.audit.models import AuditEntry
from tests.factories import staff

pytestmark = pytest.mark.django_db


def test_issues_a_token_whose_secret_is_stored_only_as_its_digest(organisation, caseworker):
    issued = api_token_create(actor=caseworker, organisation=organisation, label="Monthly export")

    assert issued.secret.startswith(TOKEN_PREFIX) and len(issued.secret) >= len(TOKEN_PREFIX) + 43
    token = ApiToken.objects.get()
    assert token == issued.token and token.user == caseworker and token.organisation == organisation
    assert token.digest == token_digest(issued.secret) and len(token.digest) == 64
    stored = [str(value) for value in ApiToken.objects.values_list(flat=False).get()]
    assert not any(issued.secret in value or issued.secret[len(TOKEN_PREFIX) :] in value for value in stored)
    assert token.scope == ApiTokenScope.READ
    expected_expiry = timezone.localdate() + datetime.timedelta(days=DEFAULT_LIFETIME_DAYS)
    assert timezone.localtime(token.expires_at).date() == expected_expiry


def test_two_tokens_have_different_secrets(organisation, caseworker):
    first = api_token_create(actor=caseworker, organisation=organisation, label="a")
    second = api_token_create(actor=caseworker, organisation=organisation, label="b")
    assert first.secret != second.secret and first.token.digest != second.token.digest


def test_audited_with_scope_and_expiry_but_not_the_secret(organisation, caseworker):
    issued = api_token_create(actor=caseworker, organisation=organisation, label="Export", scope=ApiTokenScope.WRITE)

    entry = AuditEntry.objects.get(action="api_token.create")
    assert entry.actor == caseworker and entry.organisation == organisation
    assert entry.target_id == str(issued.token.pk)
    assert entry.details["scope"] == "write"
    assert issued.secret not in str(entry.details) and issued.token.digest not in str(entry.details)


@pytest.mark.parametrize("role", [Role.VIEWER, Role.AUDITOR, Role.ANALYST])
def test_a_read_only_role_gets_no_write_token(organisation, role):
    reader = staff(organisation, role)
    with pytest.raises(ValidationError) as error:
        api_token_create(actor=reader, organisation=organisation, label="x", scope=ApiTokenScope.WRITE)
    assert "scope" in error.value.message_dict
    assert not ApiToken.objects.exists()
    assert api_token_create(actor=reader, organisation=organisation, label="x").token.scope == ApiTokenScope.READ


@pytest.mark.parametrize(("days", "valid"), [(-1, False), (0, False), (1, True), (365, True), (366, False)], ids=str)
def test_expiry_after_today_and_at_most_a_year_away(organisation, caseworker, days, valid):
    expires_on = timezone.localdate() + datetime.timedelta(days=days)
    if valid:
        token = api_token_create(actor=caseworker, organisation=organisation, label="x", expires_on=expires_on).token
        assert timezone.localtime(token.expires_at).date() == expires_on
    else:
        with pytest.raises(ValidationError) as error:
            api_token_create(actor=caseworker, organisation=organisation, label="x", expires_on=expires_on)
        assert "expires_on" in error.value.message_dict
        assert not ApiToken.objects.exists()


@pytest.mark.parametrize(("label", "field"), [("", "label"), ("   ", "label"), ("x" * 101, "label")])
def test_label_required_and_bounded(organisation, caseworker, label, field):
    with pytest.raises(ValidationError) as error:
        api_token_create(actor=caseworker, organisation=organisation, label=label)
    assert field in error.value.message_dict
    assert not ApiToken.objects.exists() and not AuditEntry.objects.filter(action="api_token.create").exists()


def test_unknown_scope_refused(organisation, caseworker):
    with pytest.raises(ValidationError) as error:
        api_token_create(actor=caseworker, organisation=organisation, label="x", scope="admin")
    assert "scope" in error.value.message_dict


def test_no_token_in_an_organisation_the_user_does_not_belong_to(organisation, outsider):
    with pytest.raises(PermissionDenied):
        api_token_create(actor=outsider, organisation=organisation, label="x")
    assert not ApiToken.objects.exists()
