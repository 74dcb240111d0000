"""Reads for the GDPR pages: what an erasure of a person would take with it (nothing is written)."""

from __future__ import annotations

from typing import Any

from asylon.audit import reads
from asylon.cases.models import Event, StatusPeriod
from asylon.evidence.models import Document
from asylon.people.models import ConsentRecord, MilitaryServicePeriod, Relationship
from asylon.people.selectors import person_get
from asylon.people.services_erasure import erasure_scope


def erasure_preview(*, user: Any, person_id: Any) -> dict[str, Any]:
    """A visible person and what erasing them reaches: the cases that go whole (by reference), the other
    persons who go with them (ids), and the person's own records by kind (Person.DoesNotExist if not visible)."""
    person = person_get(user=user, person_id=person_id)
    scope = erasure_scope(persons=[person])
    cases = list(reads.shown(scope.cases()))
    others = [pk for pk in scope.person_ids if pk != person.pk]
    counts = {
        "events": Event.objects.filter(person=person).count(),
        "statuses": StatusPeriod.objects.filter(person=person).count(),
        "documents": Document.objects.filter(person=person).count(),
        "consents": ConsentRecord.objects.filter(person=person).count(),
        "service_periods": MilitaryServicePeriod.objects.filter(person=person).count(),
        "relationships": Relationship.objects.filter(person=person).count()
        + Relationship.objects.filter(relative=person).count(),
    }
    return {"person": person, "cases": cases, "other_person_ids": others, "counts": counts}
