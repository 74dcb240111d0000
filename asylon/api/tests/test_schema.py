"""The OpenAPI schema: served at /api/v1/schema/ to anyone, with the bearer scheme only, and committed
as docs/api/openapi.yaml (this test fails when they differ)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

COMMITTED = Path(__file__).resolve().parents[3] / "docs" / "api" / "openapi.yaml"

pytestmark = pytest.mark.django_db


def test_the_served_schema_is_the_committed_one(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    served = response.content.decode()
    assert served == COMMITTED.read_text(encoding="utf-8"), (
        "docs/api/openapi.yaml differs from the schema /api/v1/schema/ serves: run `make api-schema` and commit it"
    )


def test_every_operation_needs_a_bearer_token_and_documents_its_errors(client):
    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    assert schema["components"]["securitySchemes"] == {
        "bearerToken": {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token (asy_...) created at /accounts/api-tokens/.",
        }
    }
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation["security"] == [{"bearerToken": []}], f"{method} {path}"
            assert {"400", "401", "403", "404", "429"} <= set(operation["responses"]), f"{method} {path}"
