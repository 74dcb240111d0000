"""Invitations: an organisation admin invites a colleague by a one-time link (docs/orgadmin.md).

The link carries a secret of 256 bits; only its SHA-256 digest is stored (like API tokens), so a
copy of the database opens no invitation. The link is valid for INVITATION_LIFETIME_DAYS, once.
Accepting it creates the account with the password the colleague chooses and the role the admin
gave; the second factor is enrolled next, before any other page opens (MFAEnrolmentMiddleware).
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from asylon.accounts.models import Invitation, Membership, Organisation, Role, User
from asylon.accounts.permissions import require
from asylon.audit import services as audit

INVITATION_LIFETIME_DAYS = 7
SECRET_BYTES = 32
MAX_PENDING_PER_ORGANISATION = 200


def invitation_digest(secret: str) -> str:
    """The stored form of an invitation secret: SHA-256, hex."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class IssuedInvitation:
    """A new invitation and the secret of its link, which exists only here (shown once, never stored)."""

    invitation: Invitation
    secret: str


def invitation_status(invitation: Invitation, now: datetime.datetime | None = None) -> str:
    """pending, accepted, revoked or expired."""
    if invitation.accepted_at is not None:
        return "accepted"
    if invitation.revoked_at is not None:
        return "revoked"
    if invitation.expires_at <= (now or timezone.now()):
        return "expired"
    return "pending"


def pending_invitations(organisation: Organisation) -> QuerySet[Invitation]:
    """Invitations of the organisation that can still be accepted."""
    return Invitation.objects.filter(
        organisation=organisation, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )


def _email_checked(email: str) -> str:
    email = User.objects.normalize_email((email or "").strip())
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid email address, for example name@example.org.")}) from None
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {"email": _("An account with this email address already exists. Change its role on the users page.")}
        )
    return email


@transaction.atomic
def invitation_create(*, actor: Any, organisation: Organisation, email: str, role: str) -> IssuedInvitation:
    """Invite a colleague to the organisation with a role; the link's secret is returned here and nowhere else."""
    require(actor, "accounts.manage_organisation", organisation)
    if role not in Role.values:
        raise ValidationError({"role": _("Choose one of the roles in the list.")})
    email = _email_checked(email)
    pending = pending_invitations(organisation)
    if pending.filter(email__iexact=email).exists():
        raise ValidationError(
            {"email": _("This address already has an open invitation. Withdraw it first to send a new one.")}
        )
    if pending.count() >= MAX_PENDING_PER_ORGANISATION:
        raise ValidationError(_("Too many open invitations. Withdraw the ones that are no longer needed first."))
    secret = secrets.token_urlsafe(SECRET_BYTES)
    invitation = Invitation(
        organisation=organisation,
        email=email,
        role=role,
        digest=invitation_digest(secret),
        invited_by=actor,
        expires_at=timezone.now() + datetime.timedelta(days=INVITATION_LIFETIME_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    audit.record(
        actor=actor,
        action="invitation.create",
        target=invitation,
        organisation=organisation,
        details={"role": role, "expires_at": invitation.expires_at.isoformat()},
    )
    return IssuedInvitation(invitation=invitation, secret=secret)


@transaction.atomic
def invitation_revoke(*, actor: Any, invitation: Invitation) -> Invitation:
    """Withdraw an invitation that was not accepted yet: its link stops working at once."""
    require(actor, "accounts.manage_organisation", invitation.organisation)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation was already accepted: change the person's role instead."))
    if invitation.revoked_at is not None:
        return invitation
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])
    audit.record(actor=actor, action="invitation.revoke", target=invitation, organisation=invitation.organisation)
    return invitation


def invitation_for_secret(secret: str) -> Invitation:
    """The pending invitation a link's secret opens (Invitation.DoesNotExist when spent, withdrawn or expired)."""
    if not secret or len(secret) > 200:
        raise Invitation.DoesNotExist
    invitation = Invitation.objects.select_related("organisation").get(digest=invitation_digest(secret))
    if invitation_status(invitation) != "pending":
        raise Invitation.DoesNotExist
    return invitation


@transaction.atomic
def invitation_accept(*, secret: str, password: str, display_name: str = "") -> User:
    """Create the invited account with the chosen password and the invited role; the link is spent.

    Raises Invitation.DoesNotExist for a link that is unknown, spent, withdrawn or expired.
    """
    invitation = invitation_for_secret(secret)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation_status(invitation) != "pending":  # accepted in a concurrent request
        raise Invitation.DoesNotExist
    display_name = (display_name or "").strip()
    if len(display_name) > 150:
        raise ValidationError({"display_name": _("Keep the display name under 150 characters.")})
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(_("An account with this email address already exists. Ask your admin for help."))
    user = User(email=invitation.email, display_name=display_name)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password1": error.messages}) from None
    user.set_password(password)
    user.full_clean()
    user.save()
    Membership.objects.create(user=user, organisation=invitation.organisation, role=invitation.role)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    audit.record(
        actor=user,
        action="invitation.accept",
        target=invitation,
        organisation=invitation.organisation,
        details={"user": str(user.pk), "role": invitation.role},
    )
    return user


UNUSED_INVITATION_KEEP_DAYS = 30


@transaction.atomic
def invitations_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete invitations never accepted whose link expired or was withdrawn over 30 days ago: the address
    of someone who never joined is not kept. Accepted invitations stay (the address is the account's).
    One audit entry per organisation, with the count."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=UNUSED_INVITATION_KEEP_DAYS)
    unused = Invitation.objects.filter(accepted_at__isnull=True)
    stale = unused.filter(expires_at__lt=cutoff) | unused.filter(revoked_at__lt=cutoff)
    total = 0
    for organisation_id in sorted({str(pk) for pk in stale.values_list("organisation_id", flat=True)}):
        deleted, _details = Invitation.objects.filter(pk__in=stale.filter(organisation_id=organisation_id)).delete()
        total += deleted
        audit.record(actor=None, action="invitation.purge", organisation=organisation_id, details={"deleted": deleted})
    return total
