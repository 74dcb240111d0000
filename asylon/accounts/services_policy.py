"""Organisation policy beyond second factors: the disclosure threshold k and the retention periods.

Second factors per role are set by `asylon.accounts.services.mfa_methods_set`. The bounds below keep
a policy from undoing the protection it configures: k below 3 would let a published count single out
a pair of people; a retention period of a few days would erase cases before an appeal is decided.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from asylon.accounts.models import Organisation, OrgPolicy
from asylon.accounts.permissions import require
from asylon.audit import services as audit

DISCLOSURE_THRESHOLD_RANGE = (3, 100)
CLOSED_CASE_RETENTION_RANGE = (365, 50 * 365)  # at least a year: appeals and reopenings
INTAKE_RETENTION_RANGE = (7, 3 * 365)


def _in_range(name: str, value: Any, bounds: tuple[int, int], errors: dict[str, str]) -> None:
    low, high = bounds
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        errors[name] = _("Enter a whole number from %(low)d to %(high)d.") % {"low": low, "high": high}


@transaction.atomic
def policy_update(
    *,
    actor: Any,
    organisation: Organisation,
    disclosure_threshold: int,
    closed_case_retention_days: int,
    intake_retention_days: int,
) -> OrgPolicy:
    """Set the organisation's disclosure threshold k and how long closed cases and untriaged intake are kept."""
    require(actor, "accounts.manage_organisation", organisation)
    errors: dict[str, str] = {}
    _in_range("disclosure_threshold", disclosure_threshold, DISCLOSURE_THRESHOLD_RANGE, errors)
    _in_range("closed_case_retention_days", closed_case_retention_days, CLOSED_CASE_RETENTION_RANGE, errors)
    _in_range("intake_retention_days", intake_retention_days, INTAKE_RETENTION_RANGE, errors)
    if errors:
        raise ValidationError(errors)
    policy, _created = OrgPolicy.objects.select_for_update().get_or_create(organisation=organisation)
    values = {
        "disclosure_threshold": disclosure_threshold,
        "closed_case_retention_days": closed_case_retention_days,
        "intake_retention_days": intake_retention_days,
    }
    changed = sorted(name for name, value in values.items() if getattr(policy, name) != value)
    if not changed:
        return policy
    for name, value in values.items():
        setattr(policy, name, value)
    policy.full_clean()
    policy.save()
    audit.record(
        actor=actor,
        action="policy.update",
        target=policy,
        organisation=organisation,
        changed_fields=changed,
        details={name: values[name] for name in changed},
    )
    return policy


@transaction.atomic
def policy_save(
    *,
    actor: Any,
    organisation: Organisation,
    totp_roles: list[str],
    disclosure_threshold: int,
    closed_case_retention_days: int,
    intake_retention_days: int,
) -> OrgPolicy:
    """The console's policy page in one change: roles that may use an authenticator app (passkeys are
    always allowed), k and the retention periods. Nothing is saved when any value is refused."""
    from asylon.accounts.models import Role
    from asylon.accounts.services import mfa_methods_set

    require(actor, "accounts.manage_organisation", organisation)
    unknown = sorted(set(totp_roles) - set(Role.values))
    if unknown:
        raise ValidationError({"totp_roles": _("Choose roles from the list.")})
    policy = policy_update(
        actor=actor,
        organisation=organisation,
        disclosure_threshold=disclosure_threshold,
        closed_case_retention_days=closed_case_retention_days,
        intake_retention_days=intake_retention_days,
    )
    methods = {role: ["webauthn", "totp"] if role in totp_roles else ["webauthn"] for role in Role.values}
    current = {role: sorted(policy.mfa_methods.get(role, [])) for role in Role.values}
    if current != {role: sorted(allowed) for role, allowed in methods.items()}:
        policy = mfa_methods_set(actor=actor, organisation=organisation, methods=methods)
    return policy
