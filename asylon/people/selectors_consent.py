"""Reads of consent withdrawals: which persons withdrew consent for a purpose and did not give it again
(docs/gdpr.md, "Consent"). They return ids as subqueries, never personal data, so the processing a
purpose covers (counting, exporting, publishing, alerting, casework) can leave those persons out."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from asylon.people.models import ConsentPurpose, ConsentRecord, Person


def persons_withdrawn(*, purpose: ConsentPurpose | str, organisation: Any = None) -> QuerySet[Any]:
    """Ids (a `values("person_id")` subquery) of persons whose consent for `purpose` is withdrawn and not
    given again. A person with no consent record for the purpose is not in it: consent was never the basis."""
    withdrawn = ConsentRecord.objects.filter(purpose=purpose, withdrawn_on__isnull=False)
    active = ConsentRecord.objects.filter(purpose=purpose, withdrawn_on__isnull=True)
    if organisation is not None:
        withdrawn = withdrawn.filter(organisation=organisation)
        active = active.filter(organisation=organisation)
    return withdrawn.exclude(person_id__in=active.values("person_id")).values("person_id")


def consent_withdrawn(*, person: Person | Any, purpose: ConsentPurpose | str) -> bool:
    """Whether this person withdrew consent for `purpose` and has not given it again."""
    person_id: Any = getattr(person, "pk", person)
    if person_id is None:
        return False
    records = ConsentRecord.objects.filter(person_id=person_id, purpose=purpose)
    withdrawn = records.filter(withdrawn_on__isnull=False).exists()
    return withdrawn and not records.filter(withdrawn_on__isnull=True).exists()
