"""Changing a colleague's role from the organisation admin console (docs/orgadmin.md)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from asylon.accounts.models import Membership, Organisation, Role, User
from asylon.accounts.permissions import require
from asylon.accounts.services import membership_set


@transaction.atomic
def member_role_change(*, actor: Any, organisation: Organisation, user: User, role: str) -> Membership:
    """Give a member of the organisation another role; the organisation always keeps one admin."""
    require(actor, "accounts.manage_organisation", organisation)
    if role not in Role.values:
        raise ValidationError({"role": _("Choose one of the roles in the list.")})
    membership = Membership.objects.select_for_update().filter(organisation=organisation, user=user).first()
    if membership is None:
        raise ValidationError(_("This person is not a member of the organisation."))
    if membership.role == role:
        return membership
    if membership.role == Role.ORG_ADMIN:
        admins = Membership.objects.select_for_update().filter(
            organisation=organisation, role=Role.ORG_ADMIN, user__is_active=True
        )
        if admins.exclude(pk=membership.pk).count() == 0:
            raise ValidationError(
                {"role": _("The organisation needs at least one admin. Make someone else admin first.")}
            )
    return membership_set(actor=actor, organisation=organisation, user=user, role=role)
