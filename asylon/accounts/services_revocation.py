"""Emergency revocation and offboarding (docs/orgsecurity.md): one audited action each.

`user_revoke_all` is for a person who leaves the organisation, or whose account is compromised:
their sessions end, every second factor (passkeys, TOTP, recovery codes) is deleted, every API
token they hold is revoked, every invitation link they issued and nobody accepted yet is withdrawn,
and their membership and case memberships in the organisation are removed. An account left with
no membership anywhere is deactivated.

`device_seized` is for a laptop or phone taken at a border, in a raid or stolen: the person stays a
member, but everything the device could use stops working at once (sessions, factors, tokens, and
the password a browser may have saved: it is replaced by a one-time password that the admin hands
over in person). The person then signs in with the one-time password, chooses a new one and enrols
a new second factor, as on their first day.

Credentials are the account's, not the organisation's: factors, sessions and tokens are cut
everywhere, also in other organisations the account belongs to, because a credential cannot be
half-trusted. Memberships elsewhere are not touched.
"""

from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from asylon.accounts.models import ApiToken, Invitation, Membership, Organisation, User
from asylon.accounts.permissions import forget_roles, require
from asylon.audit import services as audit

ONE_TIME_PASSWORD_BYTES = 18


class RevocationReason(models.TextChoices):
    LEFT = "left", gettext_lazy("the person left the organisation or no longer works with it")
    COMPROMISED = "compromised", gettext_lazy("the account is or may be compromised (phishing, a leaked password)")
    DEVICE_SEIZED = "device_seized", gettext_lazy("a device of the person was seized, stolen or searched")


@dataclass
class Revocation:
    """What one revocation ended, in counts (and ids for the audit entry), to show the admin."""

    user_id: Any
    sessions: int = 0
    authenticators: dict[str, int] = field(default_factory=dict)
    api_token_ids: list[str] = field(default_factory=list)
    memberships: int = 0
    case_memberships: int = 0
    lead_cases: int = 0
    assigned_tasks: int = 0
    factor_resets_closed: int = 0
    invitation_ids: list[str] = field(default_factory=list)
    deactivated: bool = False
    # Only for device_seized: the one-time password that replaces the old one, shown once, never stored.
    one_time_password: str = ""

    @property
    def api_tokens(self) -> int:
        return len(self.api_token_ids)

    @property
    def factors(self) -> int:
        return sum(self.authenticators.values())

    def audit_details(self, reason: str) -> dict[str, Any]:
        return {
            "reason": reason,
            "sessions": self.sessions,
            "authenticators": dict(sorted(self.authenticators.items())),
            "api_tokens": sorted(self.api_token_ids),
            "memberships": self.memberships,
            "case_memberships": self.case_memberships,
            "lead_cases": self.lead_cases,
            "assigned_tasks": self.assigned_tasks,
            "factor_resets_closed": self.factor_resets_closed,
            "invitations": sorted(self.invitation_ids),
            "deactivated": self.deactivated,
        }


def sessions_of_end(user: Any) -> int:
    """Delete every live session of the user (every device). Returns how many ended."""
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    user_id = str(user.pk)
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get(SESSION_KEY) == user_id:
            store_class(session_key=session.session_key).delete()
            ended += 1
    return ended


def authenticators_delete(user: Any) -> dict[str, int]:
    """Delete every second factor of the user (passkeys, TOTP, recovery codes): counts by type."""
    rows = Authenticator.objects.filter(user_id=user.pk)
    counts = Counter(rows.values_list("type", flat=True))
    rows.delete()
    return dict(counts)


def _api_tokens_revoke(user: Any) -> list[str]:
    """Revoke every live token of the user in every organisation; the ids revoked."""
    live = ApiToken.objects.filter(user_id=user.pk, revoked_at__isnull=True)
    ids = [str(pk) for pk in live.values_list("pk", flat=True)]
    live.update(revoked_at=timezone.now())
    return ids


def _checked(*, actor: Any, organisation: Organisation, user: User) -> User:
    require(actor, "accounts.manage_organisation", organisation)
    if str(user.pk) == str(actor.pk):
        raise ValidationError(
            {"user": _("You cannot revoke your own access. Ask another admin of the organisation to do it.")}
        )
    if not Membership.objects.filter(user_id=user.pk, organisation=organisation).exists():
        raise ValidationError({"user": _("This account is not a member of the organisation.")})
    # Lock the account: two admins revoking at once take turns, and nothing signs it in meanwhile.
    return User.objects.select_for_update().get(pk=user.pk)


def _credentials_cut(user: User, revocation: Revocation) -> None:
    from asylon.orgsecurity.models import FactorResetRequest, FactorResetStatus

    revocation.sessions = sessions_of_end(user)
    revocation.authenticators = authenticators_delete(user)
    revocation.api_token_ids = _api_tokens_revoke(user)
    # A reset asked for this account is moot now, and one this account asked for must not outlive it.
    pending = FactorResetRequest.objects.filter(status=FactorResetStatus.PENDING).filter(
        models.Q(user_id=user.pk) | models.Q(requested_by_id=user.pk)
    )
    revocation.factor_resets_closed = pending.update(status=FactorResetStatus.CANCELLED, decided_at=timezone.now())
    # Invitation links the account issued are credentials too (they may be copied on the device, or an
    # infiltrator's way to bring in others): every one not yet accepted stops working.
    open_links = Invitation.objects.filter(
        invited_by_id=user.pk, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )
    revocation.invitation_ids = [str(pk) for pk in open_links.values_list("pk", flat=True)]
    open_links.update(revoked_at=timezone.now())


@transaction.atomic
def user_revoke_all(*, actor: Any, organisation: Organisation, user: User, reason: str) -> Revocation:
    """Offboard a person or cut a compromised account in one audited action (see the module's text)."""
    from asylon.cases.models import Case, CaseMembership, Task

    if reason not in RevocationReason.values:
        raise ValidationError({"reason": _("Choose why the access is revoked.")})
    user = _checked(actor=actor, organisation=organisation, user=user)
    revocation = Revocation(user_id=user.pk)
    _credentials_cut(user, revocation)
    revocation.case_memberships, _by_model = CaseMembership.objects.filter(
        user_id=user.pk, organisation=organisation
    ).delete()
    revocation.lead_cases = Case.objects.filter(organisation=organisation, lead_assignee_id=user.pk).update(
        lead_assignee=None
    )
    revocation.assigned_tasks = Task.objects.filter(
        organisation=organisation, assignee_id=user.pk, completed_at__isnull=True
    ).update(assignee=None)
    revocation.memberships, _by_model = Membership.objects.filter(user_id=user.pk, organisation=organisation).delete()
    if not Membership.objects.filter(user_id=user.pk).exists():
        user.is_active = False
        user.save(update_fields=["is_active"])
        revocation.deactivated = True
    forget_roles(user)
    audit.record(
        actor=actor,
        action="user.revoke_all",
        target=user,
        organisation=organisation,
        details=revocation.audit_details(reason),
    )
    return revocation


@transaction.atomic
def device_seized(*, actor: Any, organisation: Organisation, user: User) -> Revocation:
    """A device of the person is in someone else's hands: cut every credential it may hold, keep the
    memberships, and replace the password with a one-time password (returned once, to show once)."""
    user = _checked(actor=actor, organisation=organisation, user=user)
    revocation = Revocation(user_id=user.pk)
    _credentials_cut(user, revocation)
    password = secrets.token_urlsafe(ONE_TIME_PASSWORD_BYTES)
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    revocation.one_time_password = password
    audit.record(
        actor=actor,
        action="user.device_seized",
        target=user,
        organisation=organisation,
        details=revocation.audit_details(RevocationReason.DEVICE_SEIZED),
    )
    return revocation
