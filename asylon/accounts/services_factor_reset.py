"""Four-eyes reset of a lost second factor (docs/orgsecurity.md).

Admin A asks (`factor_reset_request`) with a reason; the request waits for a second admin B, who is
neither A nor the account's holder, to approve (`factor_reset_approve`) or refuse it
(`factor_reset_refuse`); A may withdraw it (`factor_reset_cancel`). Approval deletes every second
factor of the account (passkeys, TOTP, recovery codes) and ends its sessions, so the next sign-in
with the password leads straight to enrolling a new factor (MFAEnrolmentMiddleware) and no session
left open on a lost device can enrol one instead. A request nobody decided expires after
FactorResetRequest.LIFETIME (`factor_resets_expire`, hourly). Every step is audited.

An account that also belongs to another organisation is refused: the second factor protects its
access there too, and this organisation's admins cannot vouch for it alone.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from asylon.accounts.models import Membership, Organisation, User
from asylon.accounts.permissions import require
from asylon.accounts.services_revocation import authenticators_delete, sessions_of_end
from asylon.audit import services as audit
from asylon.orgsecurity.models import FactorResetReason, FactorResetRequest, FactorResetStatus


def _only_member_checked(*, organisation: Organisation, user: Any) -> None:
    """The account belongs to this organisation and to no other (whose admins did not agree)."""
    memberships = set(Membership.objects.filter(user_id=user.pk).values_list("organisation_id", flat=True))
    if organisation.pk not in memberships:
        raise ValidationError({"user": _("This account is not a member of the organisation.")})
    if len(memberships) > 1:
        raise ValidationError(
            {
                "user": _(
                    "This account also belongs to another organisation, so its second factors protect more than "
                    "this organisation. Ask the instance's operators to reset them."
                )
            }
        )


@transaction.atomic
def factor_reset_request(*, actor: Any, organisation: Organisation, user: User, reason: str) -> FactorResetRequest:
    """Ask for the removal of every second factor of a member; a second admin must approve it."""
    require(actor, "accounts.manage_organisation", organisation)
    if reason not in FactorResetReason.values:
        raise ValidationError({"reason": _("Choose why the second factor must be reset.")})
    if str(user.pk) == str(actor.pk):
        raise ValidationError(
            {"user": _("You cannot ask for a reset of your own second factor. Ask another admin to request it.")}
        )
    _only_member_checked(organisation=organisation, user=user)
    _expire_due(organisation=organisation)
    if FactorResetRequest.objects.filter(
        organisation=organisation, user_id=user.pk, status=FactorResetStatus.PENDING
    ).exists():
        raise ValidationError({"user": _("A reset for this account is already waiting for a second admin.")})
    reset = FactorResetRequest(
        organisation=organisation,
        user=user,
        requested_by=actor,
        reason=reason,
        expires_at=timezone.now() + FactorResetRequest.LIFETIME,
    )
    reset.full_clean()
    reset.save()
    audit.record(
        actor=actor,
        action="factor_reset.request",
        target=reset,
        organisation=organisation,
        details={"user": str(user.pk), "reason": reason},
    )
    return reset


def _locked_open(reset: FactorResetRequest) -> FactorResetRequest:
    """The request re-read under a lock; refused unless it is pending and not past its expiry."""
    reset = FactorResetRequest.objects.select_for_update().get(pk=reset.pk)
    if reset.is_expired:  # the hourly task records the expiry; a refused call writes nothing
        raise ValidationError(_("This request has expired. Ask for a new reset if it is still needed."))
    if reset.status != FactorResetStatus.PENDING:
        raise ValidationError(
            _("This request is no longer waiting for a decision: it is %(status)s.")
            % {"status": reset.get_status_display()}
        )
    return reset


def _second_admin_checked(actor: Any, reset: FactorResetRequest) -> None:
    require(actor, "accounts.manage_organisation", reset.organisation)
    if str(actor.pk) == str(reset.requested_by_id):
        raise ValidationError(_("A second admin must decide: you asked for this reset yourself."))
    if str(actor.pk) == str(reset.user_id):
        raise ValidationError(_("You cannot decide on a reset of your own second factor."))


def _decided(reset: FactorResetRequest, *, actor: Any, status: str, action: str, details: dict[str, Any]) -> None:
    """Close the request with the admin's decision (approve, refuse or withdraw) and audit it."""
    reset.status = status
    reset.decided_by = actor
    reset.decided_at = timezone.now()
    reset.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    audit.record(actor=actor, action=action, target=reset, organisation=reset.organisation, details=details)


@transaction.atomic
def factor_reset_approve(*, actor: Any, reset: FactorResetRequest) -> FactorResetRequest:
    """The second admin agrees: delete every second factor of the account and end its sessions."""
    _second_admin_checked(actor, reset)
    reset = _locked_open(reset)
    user = User.objects.select_for_update().get(pk=reset.user_id)
    _only_member_checked(organisation=reset.organisation, user=user)  # still true since the request
    removed = authenticators_delete(user)
    sessions = sessions_of_end(user)
    _decided(
        reset,
        actor=actor,
        status=FactorResetStatus.APPROVED,
        action="factor_reset.approve",
        details={
            "user": str(user.pk),
            "requested_by": str(reset.requested_by_id),
            "authenticators": dict(sorted(removed.items())),
            "sessions": sessions,
        },
    )
    return reset


@transaction.atomic
def factor_reset_refuse(*, actor: Any, reset: FactorResetRequest) -> FactorResetRequest:
    """The second admin does not agree: nothing changes for the account."""
    _second_admin_checked(actor, reset)
    reset = _locked_open(reset)
    _decided(
        reset,
        actor=actor,
        status=FactorResetStatus.REFUSED,
        action="factor_reset.refuse",
        details={"user": str(reset.user_id), "requested_by": str(reset.requested_by_id)},
    )
    return reset


@transaction.atomic
def factor_reset_cancel(*, actor: Any, reset: FactorResetRequest) -> FactorResetRequest:
    """The admin who asked withdraws the request before anyone decided."""
    require(actor, "accounts.manage_organisation", reset.organisation)
    if str(actor.pk) != str(reset.requested_by_id):
        raise ValidationError(_("Only the admin who asked for this reset can withdraw it; you may refuse it."))
    reset = _locked_open(reset)
    _decided(
        reset,
        actor=actor,
        status=FactorResetStatus.CANCELLED,
        action="factor_reset.cancel",
        details={"user": str(reset.user_id)},
    )
    return reset


def _expire(reset: FactorResetRequest) -> None:
    reset.status = FactorResetStatus.EXPIRED
    reset.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=None,
        action="factor_reset.expire",
        target=reset,
        organisation=reset.organisation_id,
        details={"user": str(reset.user_id), "requested_by": str(reset.requested_by_id)},
    )


def _expire_due(*, organisation: Organisation | None = None) -> int:
    due = FactorResetRequest.objects.select_for_update().filter(
        status=FactorResetStatus.PENDING, expires_at__lte=timezone.now()
    )
    if organisation is not None:
        due = due.filter(organisation=organisation)
    expired = 0
    for reset in due:
        _expire(reset)
        expired += 1
    return expired


@transaction.atomic
def factor_resets_expire() -> int:
    """Mark every pending request past its expiry as expired (one audit entry each). The hourly task."""
    return _expire_due()
