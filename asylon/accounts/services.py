"""Writes for organisations and staff accounts."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from asylon.accounts.models import Membership, Organisation, OrgPolicy, Role, User
from asylon.accounts.permissions import forget_roles, require
from asylon.accounts.services_revocation import sessions_of_end
from asylon.audit import services as audit

ONE_TIME_PASSWORD_BYTES = 18


@transaction.atomic
def organisation_create(*, actor: Any, name: str, slug: str = "", country: str = "LT") -> Organisation:
    """Create an organisation with its default policy. Operators (or the first start) do this."""
    organisation = Organisation(name=name, slug=slug or slugify(name)[:60], country=country)
    organisation.full_clean()
    organisation.save()
    OrgPolicy.objects.create(organisation=organisation)
    audit.record(actor=actor, action="organisation.create", target=organisation, organisation=organisation)
    return organisation


@transaction.atomic
def staff_user_create(
    *, actor: Any, organisation: Organisation, email: str, role: str, display_name: str = ""
) -> tuple[User, str]:
    """Create a staff account with a one-time password (returned once, to show once) and a role."""
    if actor is not None:
        require(actor, "accounts.manage_organisation", organisation)
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("An account with this email address already exists.")})
    password = secrets.token_urlsafe(ONE_TIME_PASSWORD_BYTES)
    user = User(email=User.objects.normalize_email(email), display_name=display_name, must_change_password=True)
    user.set_password(password)
    user.full_clean()
    user.save()
    Membership.objects.create(user=user, organisation=organisation, role=role)
    audit.record(actor=actor, action="user.create", target=user, organisation=organisation, details={"role": role})
    return user, password


@transaction.atomic
def membership_set(*, actor: Any, organisation: Organisation, user: User, role: str) -> Membership:
    """Give a user a role in an organisation (or change it)."""
    require(actor, "accounts.manage_organisation", organisation)
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    previous = (
        Membership.objects.select_for_update()
        .filter(user=user, organisation=organisation)
        .values_list("role", flat=True)
        .first()
    )
    membership, _created = Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    forget_roles(user)
    audit.record(
        actor=actor,
        action="membership.set",
        target=membership,
        organisation=organisation,
        details={"role": role, "previous_role": previous},
    )
    return membership


@transaction.atomic
def sessions_end_all(*, actor: Any) -> int:
    """Sign the actor out of every session they hold, on every device, this one included."""
    ended = sessions_of_end(actor)
    audit.record(actor=actor, action="sessions.end_all", target=actor, details={"sessions": ended})
    return ended


MFA_METHODS = ("webauthn", "totp")


@transaction.atomic
def mfa_methods_set(*, actor: Any, organisation: Organisation, methods: dict[str, list[str]]) -> OrgPolicy:
    """Set which second factors each role of an organisation may use (passkeys are always allowed)."""
    if actor is not None:
        require(actor, "accounts.manage_organisation", organisation)
    errors = {
        role: _("Unknown role or second factor.")
        for role, allowed in methods.items()
        if role not in Role.values or not set(allowed) <= set(MFA_METHODS)
    }
    if errors:
        raise ValidationError(errors)
    policy = OrgPolicy.objects.select_for_update().get(organisation=organisation)
    policy.mfa_methods = {role: sorted({"webauthn", *methods.get(role, [])}) for role in Role.values}
    policy.save(update_fields=["mfa_methods", "updated_at"])
    audit.record(
        actor=actor,
        action="policy.mfa_methods",
        target=policy,
        organisation=organisation,
        details={"methods": policy.mfa_methods},
    )
    return policy
