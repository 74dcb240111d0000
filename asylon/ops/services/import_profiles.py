"""Saved import mapping profiles: deleting one (they are saved by `import_map`)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from asylon.accounts.permissions import require
from asylon.audit import services as audit
from asylon.ops.models import ImportProfile


@transaction.atomic
def import_profile_delete(*, actor: Any, profile: ImportProfile) -> None:
    """Delete a saved mapping profile; runs that used it keep their own copy of the mapping."""
    require(actor, "ops.import_records", profile.organisation)
    audit.record(actor=actor, action="import.profile_delete", target=profile)
    profile.delete()
