"""Reads of persons, filtered by who is asking: organisation admins see their organisation's persons,
other staff the persons party to cases they are members of."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from asylon.accounts.clearance import Redacted, redacted, redacted_many
from asylon.audit import reads
from asylon.cases.selectors import cases_visible_to
from asylon.people.lookups import identifier_digest, name_digests
from asylon.people.models import ConsentPurpose, ConsentRecord, LookupKind, MilitaryServicePeriod, Person


def persons_visible_to(user: Any) -> QuerySet[Person]:
    """Persons party to a case the user may open."""
    return Person.objects.filter(case_parties__case__in=cases_visible_to(user)).distinct()


def person_get(*, user: Any, person_id: Any) -> Person:
    """One visible person (Person.DoesNotExist otherwise, so existence is not revealed)."""
    return reads.shown(persons_visible_to(user).get(pk=person_id))


def persons_matching_name(*, user: Any, text: str) -> QuerySet[Person]:
    """Visible persons whose names contain every token of `text`, in any script or transliteration."""
    digests = list(dict.fromkeys(name_digests(text)))
    if not digests:
        return Person.objects.none()
    return reads.shown(
        persons_visible_to(user)
        .filter(lookups__kind=LookupKind.NAME, lookups__digest__in=digests)
        .annotate(matched_tokens=Count("lookups__digest", distinct=True))
        .filter(matched_tokens=len(digests))
    )


def persons_with_identifier(*, user: Any, number: str) -> QuerySet[Person]:
    """Visible persons holding a document with this number (spacing and look-alike letters ignored)."""
    digest = identifier_digest(number)
    if digest is None:
        return Person.objects.none()
    return reads.shown(persons_visible_to(user).filter(lookups__kind=LookupKind.IDENTIFIER, lookups__digest=digest))


def consents_of(*, user: Any, person: Person) -> QuerySet[ConsentRecord]:
    """Consent records of a visible person, newest first."""
    return reads.shown(
        ConsentRecord.objects.filter(person__in=persons_visible_to(user), person=person).order_by("-given_on")
    )


def consent_active(*, person: Person, purpose: ConsentPurpose | str) -> bool:
    """Whether consent for a purpose is on record and not withdrawn."""
    return ConsentRecord.objects.filter(person=person, purpose=purpose, withdrawn_on__isnull=True).exists()


def person_display(*, user: Any, person_id: Any) -> Redacted:
    """A visible person as the user may see them: only the fields their clearance reaches."""
    return redacted(user, person_get(user=user, person_id=person_id))


def service_periods_display(*, user: Any, person: Person) -> list[Redacted]:
    """Military service of a visible person; unit, rank and role only for restricted clearance."""
    periods = MilitaryServicePeriod.objects.filter(person__in=persons_visible_to(user), person=person)
    return redacted_many(user, reads.shown(periods.order_by("start_year", "created_at")))
