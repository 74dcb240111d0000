"""Reads of documents and their custody, filtered by who is asking (the cases they may open)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from asylon.accounts.clearance import Redacted, redacted
from asylon.audit import reads
from asylon.cases.models import Case
from asylon.cases.selectors import cases_visible_to
from asylon.evidence.models import CustodyEntry, Document
from asylon.people.models import Person
from asylon.people.selectors import parties_of_case, person_get


def documents_visible_to(user: Any) -> QuerySet[Document]:
    """Documents of the cases the user may open."""
    return Document.objects.filter(case__in=cases_visible_to(user))


def document_get(*, user: Any, case_id: Any, document_id: Any) -> Document:
    """One document of a visible case (Document.DoesNotExist otherwise, so existence is not revealed)."""
    return reads.shown(documents_visible_to(user).select_related("case").get(case_id=case_id, pk=document_id))


def custody_of(*, user: Any, document: Document) -> QuerySet[CustodyEntry]:
    """The chain of custody of a visible document, oldest first, with who did what when."""
    return (
        CustodyEntry.objects.filter(document__in=documents_visible_to(user), document=document)
        .select_related("actor")
        .order_by("created_at")
    )


def parties_of_case_display(*, user: Any, case: Case) -> list[tuple[Person, Redacted]]:
    """The persons party to a visible case with what the user may see of each (for choosing one)."""
    return [(person, redacted(user, person)) for person in parties_of_case(user=user, case=case)]


def document_person_display(*, user: Any, document: Document) -> Redacted | None:
    """The person a document concerns, as the user may see them (None when none or not visible to them)."""
    if document.person_id is None:
        return None
    try:
        return redacted(user, person_get(user=user, person_id=document.person_id))
    except Person.DoesNotExist:
        return None
