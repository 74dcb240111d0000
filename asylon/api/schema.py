"""OpenAPI schema details drf-spectacular cannot infer: the bearer scheme and the error responses
every operation may give (documented, so that clients and schemathesis know each status)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """Every error: a translated message and a stable code; validation errors add the fields."""

    detail = serializers.CharField()
    code = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)


ERRORS = {
    "400": "The request is malformed or the record would be invalid; `fields` names each problem.",
    "401": "No token, or a token that is unknown, expired or revoked.",
    "403": "The token's user (or a read token) may not do this, or the request came over plain HTTP.",
    "404": "No such record, or one the token's user may not see.",
    "429": "Too many requests for this token; retry after the Retry-After header's seconds.",
}


class ApiSchema(AutoSchema):
    """AutoSchema that adds the documented error responses to every operation."""

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for code, description in ERRORS.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=description), code, direction=direction
                )
        return responses


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "asylon.api.authentication.TokenAuthentication"
    name = "bearerToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token (asy_...) created at /accounts/api-tokens/.",
        }
