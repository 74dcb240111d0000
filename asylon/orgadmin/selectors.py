"""Reads of the organisation admin console: the organisations a user administers, their staff, invitations, policy.

Everything is scoped by `accounts.manage_organisation` on the organisation named in the URL: an
organisation the user does not administer does not exist for them (Organisation.DoesNotExist, a 404).
Staff rows shown are noted for the read audit (one `read` entry per request).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from allauth.mfa.models import Authenticator
from django.db.models import QuerySet

from asylon.accounts.mfa import RECOVERY_CODES
from asylon.accounts.models import Invitation, Membership, Organisation, OrgPolicy, Role
from asylon.accounts.selectors import organisations_for
from asylon.audit.reads import shown
from asylon.cases.models import Case, CaseMembership

MANAGE = "accounts.manage_organisation"


def administered_organisations(user: Any) -> list[Organisation]:
    """The organisations in which the user is an admin, by name."""
    return organisations_for(user, MANAGE)


def administered_organisation(*, user: Any, slug: str) -> Organisation:
    """One organisation the user administers, by its short name (Organisation.DoesNotExist otherwise)."""
    organisation = Organisation.objects.select_related("policy").get(slug=slug)
    if not user.has_perm(MANAGE, organisation):
        raise Organisation.DoesNotExist
    return organisation


@dataclass
class StaffRow:
    """A member of the organisation as the console lists them."""

    membership: Membership
    factors: list[str] = field(default_factory=list)
    case_count: int = 0

    @property
    def user(self) -> Any:
        return self.membership.user

    @property
    def has_second_factor(self) -> bool:
        return any(kind != RECOVERY_CODES for kind in self.factors)


def staff_of(*, organisation: Organisation) -> list[StaffRow]:
    """Every member of the organisation with their role, second factors and number of cases, by email."""
    memberships = list(
        shown(Membership.objects.filter(organisation=organisation).select_related("user").order_by("user__email"))
    )
    user_ids = [membership.user_id for membership in memberships]
    factors: dict[Any, list[str]] = {}
    for user_id, kind in (
        Authenticator.objects.filter(user_id__in=user_ids).order_by("type").values_list("user_id", "type")
    ):
        factors.setdefault(user_id, []).append(kind)
    cases = Counter(
        CaseMembership.objects.filter(organisation=organisation, user_id__in=user_ids).values_list("user_id", flat=True)
    )
    return [
        StaffRow(membership=m, factors=factors.get(m.user_id, []), case_count=cases[m.user_id]) for m in memberships
    ]


def member_of(*, organisation: Organisation, user_id: Any) -> Membership:
    """One member's membership of the organisation (Membership.DoesNotExist for anyone else)."""
    return shown(Membership.objects.select_related("user").get(organisation=organisation, user_id=user_id))


def second_factors_of(user: Any) -> list[str]:
    """The kinds of second factor the user holds (passkeys, authenticator app, recovery codes)."""
    return list(Authenticator.objects.filter(user_id=user.pk).order_by("type").values_list("type", flat=True))


def case_memberships_of(*, organisation: Organisation, user: Any) -> QuerySet[CaseMembership]:
    """The cases of the organisation the user is a member of, by reference."""
    return (
        CaseMembership.objects.filter(organisation=organisation, user=user)
        .select_related("case")
        .order_by("case__reference")
    )


def case_of(*, organisation: Organisation, case_id: Any) -> Case:
    """A case of the organisation (Case.DoesNotExist for another organisation's)."""
    return Case.objects.get(organisation=organisation, pk=case_id)


def case_by_reference(*, organisation: Organisation, reference: str) -> Case:
    """A case of the organisation by its reference (Case.DoesNotExist when there is none)."""
    return Case.objects.get(organisation=organisation, reference=reference.strip())


def invitations_of(*, organisation: Organisation, limit: int = 100) -> list[Invitation]:
    """The organisation's latest invitations, newest first."""
    return list(
        Invitation.objects.filter(organisation=organisation)
        .select_related("invited_by")
        .order_by("-created_at")[:limit]
    )


def invitation_of(*, organisation: Organisation, invitation_id: Any) -> Invitation:
    """One invitation of the organisation (Invitation.DoesNotExist otherwise)."""
    return Invitation.objects.get(organisation=organisation, pk=invitation_id)


@dataclass(frozen=True)
class Overview:
    """The dashboard's figures for one organisation."""

    members_by_role: list[tuple[str, int]]
    members: int
    without_second_factor: int
    pending_invitations: int
    policy: OrgPolicy | None


def overview_of(*, organisation: Organisation) -> Overview:
    """How many members per role, who still lacks a second factor, open invitations, and the policy."""
    from asylon.accounts.services_invitations import pending_invitations

    counts = Counter(Membership.objects.filter(organisation=organisation).values_list("role", flat=True))
    labels = dict(Role.choices)
    member_ids = Membership.objects.filter(organisation=organisation).values("user_id")
    with_factor = (
        Authenticator.objects.filter(user_id__in=member_ids)
        .exclude(type=RECOVERY_CODES)
        .values("user_id")
        .distinct()
        .count()
    )
    return Overview(
        members_by_role=[(str(labels[role]), counts[role]) for role in Role.values if counts[role]],
        members=sum(counts.values()),
        without_second_factor=sum(counts.values()) - with_factor,
        pending_invitations=pending_invitations(organisation).count(),
        policy=OrgPolicy.objects.filter(organisation=organisation).first(),
    )


def policy_of(*, organisation: Organisation) -> OrgPolicy:
    """The organisation's policy, or the defaults (unsaved) when none was stored yet."""
    return OrgPolicy.objects.filter(organisation=organisation).first() or OrgPolicy(organisation=organisation)
