"""Reads of persons, filtered by who is asking: organisation admins see their organisation's persons,
other staff the persons party to cases they are members of."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Count, Q, QuerySet

from asylon.accounts.clearance import Redacted, redacted, redacted_many
from asylon.audit import reads
from asylon.cases.selectors import cases_visible_to
from asylon.people.lookups import identifier_digest, name_digests
from asylon.people.models import (
    ConsentPurpose,
    ConsentRecord,
    LookupKind,
    MilitaryServicePeriod,
    Person,
    Relationship,
)


def persons_visible_to(user: Any) -> QuerySet[Person]:
    """Persons party to a case the user may open."""
    return Person.objects.filter(case_parties__case__in=cases_visible_to(user)).distinct()


def parties_of_case(*, user: Any, case: Any) -> QuerySet[Person]:
    """The visible persons party to a case, in the order they were added (for choosing one)."""
    return reads.shown(persons_visible_to(user).filter(case_parties__case=case).order_by("created_at"))


def person_get(*, user: Any, person_id: Any) -> Person:
    """One visible person (Person.DoesNotExist otherwise, so existence is not revealed)."""
    return reads.shown(persons_visible_to(user).get(pk=person_id))


def organisations_searchable_by(user: Any, field: str) -> list[Any]:
    """Ids of the organisations where the user's clearance reaches a person field. Searching by a field
    one may not read would reveal it (is "Ivanou" among our clients?), so search goes no further."""
    from asylon.accounts.clearance import ROLE_CLEARANCE, field_level
    from asylon.accounts.models import Membership

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    level = field_level(Person, field)
    memberships = Membership.objects.filter(user=user).values_list("organisation_id", "role")
    return [organisation for organisation, role in memberships if ROLE_CLEARANCE.get(role, -1) >= level]


def persons_matching_name(*, user: Any, text: str) -> QuerySet[Person]:
    """Visible persons whose names contain every token of `text`, in any script or transliteration
    (only where the user's clearance reaches names: a search is an oracle for what it matches)."""
    digests = list(dict.fromkeys(name_digests(text)))
    if not digests:
        return Person.objects.none()
    return reads.shown(
        persons_visible_to(user)
        .filter(organisation_id__in=organisations_searchable_by(user, "given_name"))
        .filter(lookups__kind=LookupKind.NAME, lookups__digest__in=digests)
        .annotate(matched_tokens=Count("lookups__digest", distinct=True))
        .filter(matched_tokens=len(digests))
    )


def persons_with_identifier(*, user: Any, number: str) -> QuerySet[Person]:
    """Visible persons holding a document with this number (spacing and look-alike letters ignored),
    where the user's clearance reaches identity documents."""
    digest = identifier_digest(number)
    if digest is None:
        return Person.objects.none()
    return reads.shown(
        persons_visible_to(user)
        .filter(organisation_id__in=organisations_searchable_by(user, "identifiers"))
        .filter(lookups__kind=LookupKind.IDENTIFIER, lookups__digest=digest)
    )


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


def persons_found(*, user: Any, name: str = "", number: str = "") -> QuerySet[Person]:
    """Visible persons matching a name (any script) and/or a document number; both given means both must match.
    Only in organisations where the user may read what they search by."""
    found: QuerySet[Person] | None = None
    if name:
        found = persons_matching_name(user=user, text=name)
    if number:
        by_number = persons_with_identifier(user=user, number=number)
        found = by_number if found is None else found.filter(pk__in=by_number.values("pk"))
    if found is None:
        return Person.objects.none()
    return found.order_by("-created_at", "pk")


def cases_of_persons(*, user: Any, persons: Any) -> dict[Any, list[dict[str, Any]]]:
    """For each given person, the visible cases they are party to: {person id: [{case, role}]}, by reference."""
    from asylon.cases.models import CaseParty

    parties = (
        CaseParty.objects.filter(case__in=cases_visible_to(user), person__in=[person.pk for person in persons])
        .select_related("case")
        .order_by("case__reference")
    )
    result: dict[Any, list[dict[str, Any]]] = {person.pk: [] for person in persons}
    for party in parties:
        reads.note([party.case])
        result[party.person_id].append({"case": redacted(user, party.case), "role": party.get_role_display()})
    return result


def status_periods_display(*, user: Any, person: Person) -> list[Redacted]:
    """Dated statuses of a visible person across the visible cases, by kind, current first, then newest."""
    from asylon.cases.models import StatusPeriod

    periods = StatusPeriod.objects.filter(case__in=cases_visible_to(user), person=person).order_by(
        "kind", "-current", "-start_year", "-start_month", "-created_at"
    )
    return redacted_many(user, reads.shown(periods))


def documents_of_person_display(*, user: Any, person: Person) -> list[Redacted]:
    """Metadata of the documents linked to a visible person in the visible cases (never their content)."""
    from asylon.evidence.models import Document

    documents = Document.objects.filter(case__in=cases_visible_to(user), person=person).order_by("-created_at")
    return redacted_many(user, reads.shown(documents))


def relationships_display(*, user: Any, person: Person) -> list[dict[str, Any]]:
    """Relatives of a visible person: [{relationship (redacted), relative_id when the user may open that person}]."""
    relationships = list(
        reads.shown(
            Relationship.objects.filter(person__in=persons_visible_to(user), person=person).order_by(
                "kind", "created_at"
            )
        )
    )
    relative_ids = {item.relative_id for item in relationships if item.relative_id}
    openable = set(persons_visible_to(user).filter(pk__in=relative_ids).values_list("pk", flat=True))
    return [
        {
            "relationship": redacted(user, item),
            "relative_id": item.relative_id if item.relative_id in openable else None,
        }
        for item in relationships
    ]


def consents_display(*, user: Any, person: Person) -> list[dict[str, Any]]:
    """Consent records of a visible person with who recorded them: [{consent (redacted), recorded_by}]."""
    consents = consents_of(user=user, person=person).select_related("recorded_by")
    return [
        {
            "consent": redacted(user, consent),
            "recorded_by": (consent.recorded_by.display_name or consent.recorded_by.email)
            if consent.recorded_by
            else "",
        }
        for consent in consents
    ]


def _record_of_person(
    model: type[models.Model], *, user: Any, person: Person, record_id: Any, related: tuple[str, ...] = ()
) -> Any:
    """One record of a visible person (`model.DoesNotExist` for another person's or an invisible one,
    so its existence is not revealed)."""
    records = model._default_manager.select_related("person", *related)
    return reads.shown(records.get(person__in=persons_visible_to(user), person=person, pk=record_id))


def service_period_get(*, user: Any, person: Person, period_id: Any) -> MilitaryServicePeriod:
    """One service period of a visible person (DoesNotExist otherwise)."""
    return _record_of_person(MilitaryServicePeriod, user=user, person=person, record_id=period_id)


def relationship_get(*, user: Any, person: Person, relationship_id: Any) -> Relationship:
    """One relationship of a visible person (DoesNotExist otherwise)."""
    return _record_of_person(Relationship, user=user, person=person, record_id=relationship_id, related=("relative",))


def consent_get(*, user: Any, person: Person, consent_id: Any) -> ConsentRecord:
    """One consent record of a visible person (DoesNotExist otherwise)."""
    return _record_of_person(ConsentRecord, user=user, person=person, record_id=consent_id)


def relative_candidates(*, user: Any, person: Person, current: Any = None) -> QuerySet[Person]:
    """Persons who may be named as a relative: visible parties to the cases this person is party to,
    and the relative already named (`current`, a person id) so that editing keeps them."""
    cases = cases_visible_to(user).filter(parties__person=person)
    candidates = (
        persons_visible_to(user)
        .filter(case_parties__case__in=cases, organisation=person.organisation)
        .exclude(pk=person.pk)
        .values("pk")
    )
    chosen = Q(pk__in=candidates) | Q(pk=current) if current else Q(pk__in=candidates)
    return reads.shown(Person.objects.filter(chosen, organisation=person.organisation).order_by("created_at"))
