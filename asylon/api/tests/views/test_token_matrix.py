"""The API's authorisation matrix: every route and method × every role × token scope × the record's
context (the token user's own case, another case of the organisation, another organisation's case).

The session matrix (tests/security/test_authorisation_matrix.py) checks that the API refuses every
session; this one checks what each token may do. The expectations are written out below, not derived
from the code; `test_every_api_route_is_in_the_matrix` fails on a route or method left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern

from asylon.accounts.models import ApiTokenScope, Organisation, Role
from asylon.accounts.tokens import api_token_create
from asylon.api import urls as api_urls
from asylon.api.tests.conftest import bearer, records_of
from tests.factories import OrganisationFactory, case_with_member, staff

pytestmark = pytest.mark.django_db

ROLES = (Role.ORG_ADMIN, Role.CASEWORKER, Role.LAWYER, Role.ANALYST, Role.VIEWER, Role.AUDITOR)
CASE_READERS = {Role.ORG_ADMIN, Role.CASEWORKER, Role.LAWYER, Role.VIEWER, Role.AUDITOR}
WRITERS = {Role.ORG_ADMIN, Role.CASEWORKER, Role.LAWYER}
STATISTICS_READERS = {Role.ORG_ADMIN, Role.CASEWORKER, Role.LAWYER, Role.ANALYST}
NAME_SEARCHERS = {Role.ORG_ADMIN, Role.CASEWORKER, Role.LAWYER}  # whose clearance reaches names
CONTEXTS = ("own", "case", "org")
TOKENS = [(role, ApiTokenScope.READ) for role in ROLES] + [(role, ApiTokenScope.WRITE) for role in sorted(WRITERS)]

RECORDS = ("cases", "persons", "events", "decisions", "documents")
WRITABLE = ("cases", "persons", "events", "decisions")
CREATE = {
    "cases": lambda case_id: {"risk": "high"},
    "persons": lambda case_id: {"case": case_id, "given_name": "Matrix"},
    "events": lambda case_id: {"case": case_id, "event_type": "visa_refused", "date_precision": "year", "year": 2024},
    "decisions": lambda case_id: {
        "case": case_id,
        "decision_type": "asylum",
        "decision_maker": "migration_department",
        "served_on": "2024-03-04",
    },
}
CHANGE = {
    "cases": {"risk": "low"},
    "persons": {"dependants": 1},
    "events": {"region": "Vilnius"},
    "decisions": {"reference_number": "M-1"},
}
# Every route of asylon/api/urls.py (but the public schema) with the methods it answers.
MATRIX_ROUTES = {
    **{f"{name}/": {"GET", "POST"} for name in WRITABLE},
    **{f"{name}/<str:id>/": {"GET", "PATCH"} for name in WRITABLE},
    "persons/search/": {"POST"},
    "documents/": {"GET"},
    "documents/<str:id>/": {"GET"},
    "vocabularies/": {"GET"},
    "vocabularies/<str:code>/": {"GET"},
    "vocabularies/<str:code>/terms/": {"GET"},
    "statistics/": {"GET"},
    "statistics/<str:slug>/": {"GET"},
}


@dataclass
class World:
    organisation: Organisation
    users: dict[str, Any]
    records: dict[str, dict[str, str]]  # context -> resource -> id


def matrix_records(case: Any, writer: Any) -> dict[str, str]:
    return records_of(case, writer, given_name="Matrix", family_name="")  # every world's person is "Matrix"


@pytest.fixture
def world(organisation) -> World:
    users = {role: staff(organisation, role) for role in ROLES}
    own = case_with_member(organisation, *users.values())
    colleague = staff(organisation)
    other = case_with_member(organisation, colleague)
    foreign_organisation = OrganisationFactory()
    foreigner = staff(foreign_organisation)
    # The foreigner's organisation also counts every role's user as a member: a token of A must still show nothing of B.
    foreign = case_with_member(foreign_organisation, foreigner, *users.values())
    for user in users.values():
        user.memberships.create(organisation=foreign_organisation, role=Role.ORG_ADMIN)
    records = {
        "own": matrix_records(own, users[Role.CASEWORKER]),
        "case": matrix_records(other, colleague),
        "org": matrix_records(foreign, foreigner),
    }
    return World(organisation, users, records)


def may_read(role: str, context: str) -> bool:
    return (context == "own" and role in CASE_READERS) or (context == "case" and role == Role.ORG_ADMIN)


def may_write(role: str, scope: str, context: str) -> bool:
    return scope == ApiTokenScope.WRITE and may_read(role, context) and role in WRITERS


def test_every_api_route_is_in_the_matrix():
    routes: dict[str, set[str]] = {}
    for pattern in api_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        if pattern.name == "schema":
            continue
        view = pattern.callback.view_class  # type: ignore[attr-defined]
        methods = {name.upper() for name in ("get", "post", "patch", "put", "delete") if hasattr(view, name)}
        routes[str(pattern.pattern)] = methods
    assert routes == MATRIX_ROUTES


@pytest.mark.parametrize(("role", "scope"), TOKENS, ids=[f"{role}-{scope}" for role, scope in TOKENS])
def test_token_matrix(world, role, scope):
    user = world.users[role]
    client = bearer(api_token_create(actor=user, organisation=world.organisation, label="m", scope=scope).secret)
    failures: list[str] = []

    def expect(response: Any, expected: int, where: str) -> None:
        if response.status_code != expected:
            failures.append(f"{where}: expected {expected}, got {response.status_code} {response.content[:200]!r}")

    for resource in RECORDS:
        listed = {row["id"] for row in client.get(f"/api/v1/{resource}/", {"page_size": 200}).json()["results"]}
        for context in CONTEXTS:
            record = world.records[context][resource]
            if (record in listed) != may_read(role, context):
                failures.append(f"GET {resource}/ lists the {context} record: {record in listed}")
            expect(
                client.get(f"/api/v1/{resource}/{record}/"),
                200 if may_read(role, context) else 404,
                f"GET {resource} {context}",
            )

    # The person search is a read, though posted: read tokens too; every world's person is named "Matrix".
    response = client.post("/api/v1/persons/search/", {"name": "Matrix", "page_size": 200}, format="json")
    expect(response, 200, "POST persons/search/")
    searched = {row["id"] for row in response.json().get("results", [])}
    for context in CONTEXTS:
        record = world.records[context]["persons"]
        if (record in searched) != (may_read(role, context) and role in NAME_SEARCHERS):
            failures.append(f"POST persons/search/ finds the {context} person: {record in searched}")

    for resource in WRITABLE:
        for context in CONTEXTS:
            record = world.records[context][resource]
            response = client.patch(f"/api/v1/{resource}/{record}/", CHANGE[resource], format="json")
            expected = 403 if scope == ApiTokenScope.READ else 200 if may_write(role, scope, context) else 404
            expect(response, expected, f"PATCH {resource} {context}")
            response = client.post(
                f"/api/v1/{resource}/", CREATE[resource](world.records[context]["cases"]), format="json"
            )
            if scope == ApiTokenScope.READ:
                expected = 403
            elif resource == "cases":  # opened in the token's organisation, whatever the context
                expected = 201
            else:
                expected = 201 if may_write(role, scope, context) else 400
            expect(response, expected, f"POST {resource} naming the {context} case")

    for path in ("vocabularies/", "vocabularies/event_type/", "vocabularies/event_type/terms/", "statistics/"):
        expect(client.get(f"/api/v1/{path}"), 200, f"GET {path}")
    expect(
        client.get("/api/v1/statistics/appeals/"), 200 if role in STATISTICS_READERS else 403, "GET statistics/appeals"
    )

    assert not failures, f"{role} with a {scope} token:\n" + "\n".join(failures)
