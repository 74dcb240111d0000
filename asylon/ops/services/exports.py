"""Exports: the records a user may read, in a chosen format, encrypted with age, audited.

The file is built and encrypted within the request, in memory (docs/exports.md: no model, nothing
written to disk, so nothing to expire or clean up); the audit entry is written before the response
leaves. Exports are refused above `MAX_CASES` cases (narrow them by the dates cases were opened).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pyrage
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from asylon.accounts.models import Organisation
from asylon.accounts.permissions import require
from asylon.audit.services import record
from asylon.cases.selectors import cases_visible_to
from asylon.ops.exports.age import FILE_SUFFIX, passphrase_checked, recipients_from_text, sealed
from asylon.ops.exports.formats import FORMATS
from asylon.ops.exports.rows import export_rows
from asylon.ops.selectors_exports import ExportScope, export_cases

# The export runs within the request: 1,000 cases with their records take 5-13 s here (XLSX the
# slowest; 16.5 MB of JSON in memory), which keeps it inside gunicorn's 30 s worker timeout
# (docs/exports.md has the measurements).
MAX_CASES = 1000


@dataclass(frozen=True)
class ExportFile:
    """An encrypted export ready to download: its file name, its age bytes, its rows per table."""

    filename: str
    content: bytes
    counts: dict[str, int]
    case_ids: list[str]


def _scope_checked(
    *, actor: Any, organisation: Organisation, case: Any, opened_from: Any, opened_until: Any
) -> ExportScope:
    if opened_from and opened_until and opened_from > opened_until:
        raise ValidationError({"opened_until": _("The end of the period is before its start.")})
    scope = ExportScope(organisation=organisation, case_id=case, opened_from=opened_from, opened_until=opened_until)
    cases = export_cases(user=actor, scope=scope)
    if case and not cases.exists():
        if cases_visible_to(actor).filter(pk=case, organisation=organisation).exists():
            raise ValidationError(
                {"case": _("A person in this case withdrew consent to sharing, so the case is not exported.")}
            )
        raise ValidationError({"case": _("This case is not one you may export from this organisation.")})
    if cases.count() > MAX_CASES:
        raise ValidationError(
            {
                "opened_from": _(
                    "More than %(count)s cases are in scope; export them in parts, by the dates they were opened."
                )
                % {"count": MAX_CASES}
            }
        )
    return scope


@transaction.atomic
def export_create(
    *,
    actor: Any,
    organisation: Organisation,
    export_format: str,
    case: Any = None,
    opened_from: datetime.date | None = None,
    opened_until: datetime.date | None = None,
    passphrase: str = "",
    recipients: str = "",
) -> ExportFile:
    """Export the records the actor may read in one format, encrypted to a passphrase or to recipients."""
    chosen = FORMATS.get(export_format)
    if chosen is None:
        raise ValidationError({"export_format": _("Choose one of the formats offered.")})
    require(actor, chosen.permission, organisation)
    if bool(passphrase) == bool(recipients.strip()):
        raise ValidationError(_("Give either a passphrase or recipients' public keys."))
    keys = recipients_from_text(recipients) if recipients.strip() else None
    secret = passphrase_checked(passphrase) if passphrase else ""
    scope = _scope_checked(
        actor=actor, organisation=organisation, case=case, opened_from=opened_from, opened_until=opened_until
    )
    data = export_rows(user=actor, scope=scope)
    try:
        content = sealed(chosen.write(data), passphrase=secret, recipients=keys)
    except pyrage.EncryptError as error:
        # Nothing is audited as exported: the entry below is only written for an encrypted file.
        raise ValidationError(_("The file could not be encrypted; nothing was exported. Try again.")) from error
    counts = data.counts()
    record(
        actor=actor,
        action="export.create",
        target=organisation,
        organisation=organisation,
        details={
            "format": chosen.code,
            "scope": scope.describe(),
            "encryption": "passphrase" if secret else "recipients",
            "recipients": len(keys or []),
            "counts": counts,
            "withheld": data.withheld,
            "case_ids": data.case_ids,
        },
    )
    stamp = data.exported_at.strftime("%Y%m%d-%H%M%S")
    return ExportFile(
        filename=f"asylon-export-{stamp}{chosen.suffix}{FILE_SUFFIX}",
        content=content,
        counts=counts,
        case_ids=data.case_ids,
    )
