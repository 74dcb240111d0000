"""One error shape for the API: `{"detail": "...", "code": "..."}`, plus `"fields": {name: [messages]}`
for validation errors. Services' ValidationError -> 400 keyed by field, PermissionDenied -> 403
(audited as the pages' refusals are), DoesNotExist -> 404. Messages are translated."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from asylon.accounts.denials import DeniedAccessAuditMiddleware

NON_FIELD = "non_field_errors"


def _field_messages(error: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            field: [str(message) for message in DjangoValidationError(errors).messages]
            for field, errors in error.error_dict.items()
        }
    return {NON_FIELD: [str(message) for message in error.messages]}


def _flatten(detail: Any) -> list[str]:
    if isinstance(detail, dict):
        return [message for value in detail.values() for message in _flatten(value)]
    if isinstance(detail, list):
        return [message for value in detail for message in _flatten(value)]
    return [str(detail)]


def _fields_of(detail: Any) -> dict[str, list[str]]:
    """DRF's nested detail as {field: [messages]} (nested keys joined with dots)."""
    if not isinstance(detail, dict):
        return {NON_FIELD: _flatten(detail)}
    fields: dict[str, list[str]] = {}
    for name, value in detail.items():
        if isinstance(value, dict):
            for inner, messages in _fields_of(value).items():
                fields[f"{name}.{inner}"] = messages
        else:
            fields[str(name)] = _flatten(value)
    return fields


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with Django's exceptions mapped first and every body in the shape above."""
    if isinstance(exc, DjangoValidationError):
        return Response(
            {"detail": _("The request has errors; see the fields."), "code": "invalid", "fields": _field_messages(exc)},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, ObjectDoesNotExist | Http404):
        exc = exceptions.NotFound(_("Not found."))
    if isinstance(exc, PermissionDenied):
        request = context.get("request")
        if request is not None:  # the same `access.denied` entry a page's refusal writes
            DeniedAccessAuditMiddleware(lambda _request: Response()).process_exception(request._request, exc)
        exc = exceptions.PermissionDenied(_("You may not do this."))
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {
            "detail": _("The request has errors; see the fields."),
            "code": "invalid",
            "fields": _fields_of(exc.detail),
        }
    elif isinstance(exc, exceptions.APIException):
        detail = exc.detail
        code = detail.code if isinstance(detail, exceptions.ErrorDetail) else exc.default_code
        response.data = {"detail": " ".join(_flatten(detail)), "code": str(code)}
    return response
