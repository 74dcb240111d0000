"""Reads of the API: the pages' selectors narrowed to the token's organisation, with what each
resource's serializer needs fetched up front. The read audit notes what a response shows: the rows
of a page (`pagination.NewestFirst`, which fetches one row more than it shows to know whether a
next page exists, so the queryset itself is not marked) or the one record (`ApiView.record`).

A token acts in its own organisation only: a user who is a member of two organisations sees,
through a token of one, nothing of the other, although the pages' selectors would show both.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from asylon.accounts.models import Organisation
from asylon.cases.models import Case, Decision, Event
from asylon.cases.selectors import cases_visible_to
from asylon.evidence.models import Document
from asylon.evidence.selectors import documents_visible_to
from asylon.people.models import Person
from asylon.people.selectors import persons_visible_to
from asylon.vocab.models import Term, Vocabulary
from asylon.vocab.selectors import terms_of


def api_cases(*, user: Any, organisation: Organisation) -> QuerySet[Case]:
    """Cases of the organisation the user may open."""
    return cases_visible_to(user).filter(organisation=organisation)


def api_persons(*, user: Any, organisation: Organisation) -> QuerySet[Person]:
    """Persons of the organisation party to cases the user may open."""
    return persons_visible_to(user).filter(organisation=organisation).select_related("claim_basis")


def api_events(*, user: Any, organisation: Organisation) -> QuerySet[Event]:
    """Events of the organisation's cases the user may open."""
    return (
        Event.objects.filter(organisation=organisation, case__in=cases_visible_to(user))
        .select_related("event_type", "perpetrator")
        .prefetch_related("sources")
    )


def api_decisions(*, user: Any, organisation: Organisation) -> QuerySet[Decision]:
    """Decisions of the organisation's cases the user may open."""
    return (
        Decision.objects.filter(organisation=organisation, case__in=cases_visible_to(user))
        .select_related("decision_type", "decision_maker", "outcome")
        .prefetch_related("grounds")
    )


def api_documents(*, user: Any, organisation: Organisation) -> QuerySet[Document]:
    """Document records (metadata) of the organisation's cases the user may open."""
    return documents_visible_to(user).filter(organisation=organisation)


def api_vocabularies(*, organisation: Organisation) -> QuerySet[Vocabulary]:
    """The instance's vocabularies and the organisation's own, by code."""
    return Vocabulary.objects.filter(Q(organisation__isnull=True) | Q(organisation=organisation)).order_by(
        "code", "organisation_id"
    )


def api_vocabulary(*, organisation: Organisation, code: str) -> Vocabulary:
    """One vocabulary by code: the organisation's own before the instance's (Vocabulary.DoesNotExist if neither)."""
    found = api_vocabularies(organisation=organisation).filter(code=code)
    own = found.filter(organisation=organisation).first()
    return own or found.get()


def api_terms(*, organisation: Organisation, vocabulary: Vocabulary) -> QuerySet[Term]:
    """The active terms the organisation uses in a vocabulary (its own overriding the instance's)."""
    return terms_of(vocabulary=vocabulary.code, organisation=organisation)
