"""Case notes; privileged notes are written and read by lawyers only."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from asylon.accounts.permissions import require
from asylon.audit import services as audit
from asylon.cases.models import Case, Note


@transaction.atomic
def note_add(*, actor: Any, case: Case, body: str, privileged: bool = False) -> Note:
    """Add a note to a case; privileged (lawyer-client) notes only by lawyers."""
    require(actor, "cases.add_privileged_note" if privileged else "cases.change_note", case)
    note = Note(organisation=case.organisation, case=case, author=actor, body=body, privileged=privileged)
    if not body.strip():
        raise ValidationError({"body": _("The note is empty.")})
    note.full_clean()
    note.save()
    audit.record(actor=actor, action="note.create", target=note, details={"privileged": privileged})
    return note


@transaction.atomic
def note_update(*, actor: Any, note: Note, body: str) -> Note:
    """Change a note's text; only its author may."""
    require(actor, "cases.add_privileged_note" if note.privileged else "cases.change_note", note.case)
    if note.author_id != actor.pk:
        raise ValidationError({"body": _("Only the author can change a note.")})
    if not body.strip():
        raise ValidationError({"body": _("The note is empty.")})
    note.body = body
    note.full_clean()
    note.save()
    audit.record(actor=actor, action="note.update", target=note, changed_fields=["body"])
    return note
