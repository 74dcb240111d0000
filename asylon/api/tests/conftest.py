"""Fixtures of the API tests: tokens issued through the service, and clients that send them."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from asylon.accounts.models import ApiTokenScope, Organisation
from asylon.accounts.tokens import api_token_create


def bearer(secret: str) -> APIClient:
    """A client that sends `Authorization: Bearer <secret>` on every request."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def api_client() -> Callable[..., APIClient]:
    """`api_client(user, scope="read", organisation=None)`: a client holding a new token of the user
    (in the user's only organisation unless one is given)."""

    def make(user: Any, scope: str = ApiTokenScope.READ, organisation: Organisation | None = None) -> APIClient:
        organisation = organisation or Organisation.objects.get(memberships__user=user)
        return bearer(api_token_create(actor=user, organisation=organisation, label="test", scope=scope).secret)

    return make


def records_of(case: Any, writer: Any, *, given_name: str = "Сяргей", family_name: str = "Іваноў") -> dict[str, str]:
    """Synthetic records of a case, written through the services by one of its members: a person (with
    blind indexes), an event of theirs, a decision and a document. Ids by resource, as the API's paths
    name them."""
    from asylon.cases.services.decisions import decision_record
    from asylon.cases.services.events import event_record
    from asylon.evidence.services.documents import document_store
    from asylon.evidence.tests.samples import png
    from asylon.people.services import person_create

    person = person_create(actor=writer, case=case, given_name=given_name, family_name=family_name, citizenship="BY")
    event = event_record(
        actor=writer, case=case, person=person, event_type="visa_refused", date_precision="year", year=2024
    )
    decision = decision_record(
        actor=writer,
        case=case,
        decision_type="asylum",
        decision_maker="migration_department",
        served_on=datetime.date(2024, 3, 4),
    )
    document = document_store(actor=writer, case=case, data=png(), filename="scan.png", content_type="image/png")
    return {
        "cases": str(case.pk),
        "persons": str(person.pk),
        "events": str(event.pk),
        "decisions": str(decision.pk),
        "documents": str(document.pk),
    }


@pytest.fixture
def seeded(organisation, caseworker, case) -> dict[str, Any]:
    """The caseworker's case with its records (records_of)."""
    return records_of(case, caseworker)
