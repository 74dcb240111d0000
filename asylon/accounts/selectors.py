"""Reads about staff accounts and their organisations."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.db.models import QuerySet

from asylon.accounts.models import Membership, Organisation


def memberships_of(user: Any) -> QuerySet[Membership]:
    """The user's memberships with their organisations."""
    return Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__name")


def organisations_of(user: Any) -> QuerySet[Organisation]:
    """Organisations the user belongs to."""
    return Organisation.objects.filter(memberships__user=user)


def organisations_for(user: Any, permission: str) -> list[Organisation]:
    """The user's organisations in which they hold an organisation-wide `permission`, by name."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [org for org in organisations_of(user).order_by("name") if user.has_perm(permission, org)]


def authenticators_of(user: Any) -> QuerySet[Authenticator]:
    """The user's second factors (passkeys, authenticator app, recovery codes), oldest first."""
    return Authenticator.objects.filter(user_id=user.pk).order_by("created_at")


def organisations_where(user: Any, *roles: str) -> QuerySet[Organisation]:
    """Organisations in which the user holds one of the roles (for example, where they may open cases)."""
    return Organisation.objects.filter(memberships__user=user, memberships__role__in=roles).order_by("name")


def colleagues_of(organisation: Organisation) -> QuerySet[Any]:
    """Active staff of an organisation, to choose an assignee or a case member from."""
    from asylon.accounts.models import User

    return User.objects.filter(memberships__organisation=organisation, is_active=True).order_by("email").distinct()


def first_organisation_of(user: Any) -> Organisation | None:
    """The organisation of the user's first membership (whose terms and colleagues the case filters offer)."""
    membership = Membership.objects.filter(user_id=str(user.pk)).select_related("organisation").first()
    return membership.organisation if membership else None
