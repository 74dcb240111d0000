"""The API against its own OpenAPI schema, with schemathesis (DESIGN.md, "Tests and CI").

Every operation of the served schema is called through the WSGI application (no network) with
seeded synthetic data, once with a read token and once with a write token of a caseworker who is a
member of the seeded case: generated requests (hypothesis, a bounded number per operation; half of
them pointed at the seeded records) and the operation's own example from the schema, with its ids
replaced by the seeded ones. Checks: no server error, status codes, content types and response
bodies as the schema documents them. Every operation must answer 2xx at least once (with the read
token: every read, including the search posted so that its text stays out of the URL; writes must
be refused with 403).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from asylon.accounts.models import ApiTokenScope
from asylon.accounts.tokens import api_token_create

pytestmark = [pytest.mark.sqlite_only, pytest.mark.django_db]

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES_PER_OPERATION = 12
UNSAFE = {"POST", "PATCH", "PUT", "DELETE"}
POSTED_READS = {"POST /api/v1/persons/search/"}  # reads sent by POST: a read token may use them
# Path parameters other than record ids: a vocabulary and an aggregate that exist.
NAMED = {"code": "event_type", "slug": "appeals"}


@pytest.fixture
def wsgi_app() -> Iterator[WSGIHandler]:
    """The application as a server runs it, minus closing the database connection after each request
    (as Django's test client does): the test's transaction holds the seeded rows."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def resource_of(path: str) -> str:
    return path.removeprefix("/api/v1/").split("/", 1)[0]


def seeded_path(path: str, seeded: dict[str, str]) -> dict[str, str]:
    """Values naming seeded records for each parameter of a path."""
    return {name: NAMED.get(name) or seeded[resource_of(path)] for name in re.findall(r"{(\w+)}", path)}


def point_at_seeded(case: Any, seeded: dict[str, str]) -> None:
    """Make a generated or example request name the seeded records (its path id, and the case, person
    and event a body refers to)."""
    if case.path_parameters:
        case.path_parameters.update(seeded_path(case.path, seeded))
    if isinstance(case.body, dict):
        for field, resource in (("case", "cases"), ("person", "persons"), ("event", "events")):
            if field in case.body:
                case.body[field] = seeded[resource]


def example_body(operation: Any) -> Any:
    """The request body example the schema gives (drf-spectacular's OpenApiExample), if any."""
    for body in operation.body:
        examples = body.definition.get("examples") or {}
        for example in examples.values():
            return dict(example["value"])
    return None


@pytest.mark.parametrize("scope", [ApiTokenScope.READ, ApiTokenScope.WRITE])
def test_every_operation_conforms_to_the_schema(scope, organisation, caseworker, seeded, wsgi_app):
    secret = api_token_create(actor=caseworker, organisation=organisation, label="schemathesis", scope=scope).secret
    headers = {"Authorization": f"Bearer {secret}"}
    statuses: dict[str, set[int]] = defaultdict(set)

    def call(case: Any) -> None:
        cache.clear()  # the token's rate limit is tested elsewhere; here every request must be answered
        response = case.call(app=wsgi_app, headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)
        statuses[case.operation.label].add(response.status_code)

    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations
    for operation in operations:

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(), seeded_ids=st.booleans())
        def generated(case: Any, seeded_ids: bool) -> None:
            if seeded_ids:
                point_at_seeded(case, seeded)
            call(case)

        generated()
        body = {"body": example_body(operation)} if operation.body else {}
        example = operation.Case(path_parameters=seeded_path(operation.path, seeded), **body)
        point_at_seeded(example, seeded)
        call(example)

    for operation in operations:
        seen = statuses[operation.label]
        if scope == ApiTokenScope.READ and operation.method.upper() in UNSAFE and operation.label not in POSTED_READS:
            # Refused before the body or the record is looked at.
            assert seen == {403}, f"{operation.label} with a read token: {sorted(seen)}"
        else:
            assert any(200 <= status < 300 for status in seen), f"{operation.label}: no 2xx among {sorted(seen)}"
