"""Reads of the duplicates workflow: candidate pairs the user may see, the persons compared side by side,
a person's possible duplicates, and where a merged person's old id leads now."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from asylon.accounts.clearance import Redacted, redacted
from asylon.audit import reads
from asylon.people.duplicates import candidates_among
from asylon.people.models import DuplicateCandidate, DuplicateStatus, Person, PersonTombstone
from asylon.people.selectors import persons_visible_to

REASON_LABELS = {
    "name": _("names meet across scripts and spellings"),
    "patronymic": _("patronymics meet"),
    "birth_date": _("same date of birth"),
    "birth_year": _("same year of birth"),
    "identifier": _("same identity document number"),
}
# A chain of merges longer than this is not followed (each merge also shortens earlier chains).
MAX_CHAIN = 50


def reason_labels(reasons: Any) -> list[str]:
    """The reasons of a candidate in words (codes only are stored)."""
    return [str(REASON_LABELS[code]) for code in reasons or () if code in REASON_LABELS]


def person_successor(*, user: Any, person_id: Any) -> Person:
    """The live person an old (merged) person id leads to, following merges, when the user may see them
    (Person.DoesNotExist otherwise: neither the merge nor the successor is revealed)."""
    current = person_id
    for _step in range(MAX_CHAIN):
        tombstone = PersonTombstone.objects.filter(former_person_id=current).only("successor_id").first()
        if tombstone is None or tombstone.successor_id is None:
            break
        current = tombstone.successor_id
        if Person.objects.filter(pk=current).exists():
            return reads.shown(persons_visible_to(user).get(pk=current))
    raise Person.DoesNotExist


def duplicates_visible_to(user: Any) -> QuerySet[DuplicateCandidate]:
    """Open candidate pairs whose both persons the user may see, best first."""
    visible = persons_visible_to(user).values("pk")
    return (
        DuplicateCandidate.objects.filter(status=DuplicateStatus.OPEN, person__in=visible, other__in=visible)
        .select_related("person", "other")
        .order_by("-score", "created_at")
    )


@dataclass(frozen=True)
class CandidateRow:
    """One candidate pair for display: both persons as the user's clearance allows, reasons in words."""

    candidate_id: UUID | None
    person: Redacted
    other: Redacted
    score: float
    reasons: list[str]


def duplicates_page(*, user: Any, limit: int = 200) -> list[CandidateRow]:
    """The open candidates the user may see, as rows for the duplicates page (the best `limit`)."""
    pairs = [
        (candidate, candidate.person, candidate.other)
        for candidate in duplicates_visible_to(user)[:limit]
        if candidate.other is not None  # always: open pairs name two persons
    ]
    reads.note([person for _candidate, *persons in pairs for person in persons])
    return [
        CandidateRow(
            candidate.pk,
            redacted(user, person),
            redacted(user, other),
            candidate.score,
            reason_labels(candidate.reasons),
        )
        for candidate, person, other in pairs
    ]


def duplicate_get(*, user: Any, candidate_id: Any) -> DuplicateCandidate:
    """One candidate pair whose both persons the user may see, open or decided
    (DuplicateCandidate.DoesNotExist otherwise; a merged pair when the user may see the survivor)."""
    visible = persons_visible_to(user).values("pk")
    candidate = DuplicateCandidate.objects.select_related("person", "other").get(pk=candidate_id, person__in=visible)
    if candidate.other_id is not None and not persons_visible_to(user).filter(pk=candidate.other_id).exists():
        raise DuplicateCandidate.DoesNotExist
    reads.note([person for person in (candidate.person, candidate.other) if person is not None])
    return candidate


def duplicates_of_person(*, user: Any, person: Person) -> list[CandidateRow]:
    """The persons the user may see who are probably the same as `person`, computed now (a few queries),
    without the pairs already dismissed; `candidate_id` is set where the pair is recorded for review."""
    found = candidates_among(organisation=person.organisation, persons=[person])
    partners = {c.other_id if c.person_id == person.pk else c.person_id: c for c in found}
    visible = persons_visible_to(user).filter(pk__in=partners)
    pairs = Q(person=person, other_id__in=partners) | Q(other=person, person_id__in=partners)
    recorded = {
        (row.person_id if row.other_id == person.pk else row.other_id): row
        for row in DuplicateCandidate.objects.filter(pairs)
    }
    own = redacted(user, person)
    rows = []
    for other in reads.shown(visible.order_by("pk")):
        row = recorded.get(other.pk)
        if row is not None and row.status != DuplicateStatus.OPEN:
            continue
        candidate = partners[other.pk]
        rows.append(
            CandidateRow(
                row.pk if row else None,
                own,
                redacted(user, other),
                candidate.score,
                reason_labels(candidate.reasons),
            )
        )
    return sorted(rows, key=lambda item: -item.score)
