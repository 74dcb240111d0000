"""Case access for the organisation's staff after a synthetic run (need-to-know: case membership)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db import transaction

from asylon.accounts.models import Membership, Role
from asylon.audit.services import record_many
from asylon.cases.models import Case, CaseMembership
from asylon.ops.synth.rows import case_reference
from asylon.ops.synth.seeding import generator

# Staff who open cases through membership; admins see every case, analysts only aggregates.
MEMBER_ROLES = (Role.CASEWORKER, Role.LAWYER, Role.VIEWER, Role.AUDITOR)
SHARE_OF_CASES = 0.25


@transaction.atomic
def case_access_grant(
    *, organisation: Any, seed: int, actor: Any = None, share: float = SHARE_OF_CASES
) -> Counter[str]:
    """Make each non-admin staff member a member of a deterministic subset of a seed's synthetic cases.

    The subset depends on the seed and the member's e-mail address only, so a rerun picks the same
    cases; memberships that already exist are kept. Returns the rows written per model label.
    """
    prefix = case_reference(seed, 0).rsplit("-", 1)[0] + "-"
    case_ids = list(
        Case.objects.filter(organisation=organisation, reference__startswith=prefix)
        .order_by("reference")
        .values_list("pk", flat=True)
    )
    staff = (
        Membership.objects.filter(organisation=organisation, role__in=MEMBER_ROLES, user__is_active=True)
        .select_related("user")
        .order_by("user__email")
    )
    existing = set(
        CaseMembership.objects.filter(organisation=organisation, case__reference__startswith=prefix).values_list(
            "case_id", "user_id"
        )
    )
    created: list[CaseMembership] = []
    for membership in staff:
        user = membership.user
        chooser = generator(f"asylon-synth-access:{seed}:{user.email}")
        created.extend(
            CaseMembership(organisation=organisation, case_id=case_id, user=user)
            for case_id in case_ids
            if chooser.random() < share and (case_id, user.pk) not in existing
        )
    CaseMembership.objects.bulk_create(created, batch_size=2000)
    audited = record_many(actor=actor, action="case.member_add", targets=created, organisation=organisation)
    return Counter({CaseMembership._meta.label: len(created), "audit.AuditEntry": audited})
