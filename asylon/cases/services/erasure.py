"""Erasure of a whole case: every record in it, the help-form submissions converted into it, and the persons
party to it who are party to no other case (each leaves a tombstone). See docs/gdpr.md, "Erasure"."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from asylon.cases.models import Case
from asylon.people.services_erasure import Erasure, erasure_scope, scope_erase


@transaction.atomic
def case_erase(*, actor: Any, case: Case, reason: str) -> Erasure:
    """Erase a case with everything in it, and the persons it leaves without any case; `actor` None is the
    retention schedule (then `reason` must be "retention")."""
    if not Case.objects.filter(pk=case.pk).exists():
        raise ValidationError({"case": _("This case was already erased.")})
    scope = erasure_scope(cases=[case])
    return scope_erase(actor=actor, scope=scope, reason=reason, action="erasure.case")
