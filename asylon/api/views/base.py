"""What every API view shares: HTTPS only where the site requires it, token authentication, scope,
throttling (before the permission check, so requests without a valid token are limited too), JSON
whatever the Accept header, messages in the language of Accept-Language, the token's organisation,
and the parsing of record ids and bodies."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers
from rest_framework.generics import GenericAPIView
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.request import Request
from rest_framework.response import Response

from asylon.accounts.models import Organisation
from asylon.audit import reads


class JsonOnly(BaseContentNegotiation):
    """The API speaks JSON only: the first (only) renderer, whatever the client accepts."""

    def select_parser(self, request: Request, parsers: list[Any]) -> Any:
        for parser in parsers:
            if request.content_type.split(";")[0].strip() == parser.media_type:
                return parser
        return None

    def select_renderer(self, request: Request, renderers: list[Any], format_suffix: str | None = None) -> Any:
        return renderers[0], renderers[0].media_type


def record_id(value: str) -> uuid.UUID:
    """A record id from the path; anything that is not a UUID is simply not found."""
    try:
        return uuid.UUID(value)
    except ValueError:
        raise exceptions.NotFound(_("Not found.")) from None


def refuse_plain_http(request: Request) -> None:
    """Where the site requires HTTPS (SECURE_SSL_REDIRECT, off only for ASYLON_INSECURE_LOCALHOST and
    tests), refuse a plain-HTTP request before its token is looked at. /api/ is exempt from the
    redirect (SECURE_REDIRECT_EXEMPT): a redirect would come after the token crossed the network in
    the clear, and would teach the client to send it again."""
    if settings.SECURE_SSL_REDIRECT and not request.is_secure():
        raise exceptions.PermissionDenied(
            _("The API answers over HTTPS only. This request came over plain HTTP: revoke any token it carried."),
            code="https_required",
        )


# The base of every resource view. (No docstring: drf-spectacular would show it on every operation.)
class ApiView(GenericAPIView):
    content_negotiation_class = JsonOnly

    def initialize_request(self, request: Any, *args: Any, **kwargs: Any) -> Request:
        # A browser's session is not accepted here, but DRF would replace the signed-in user on the
        # underlying request with an anonymous one, and the response would then wipe the browser's
        # site data as if the session had ended (PrivateResponseMiddleware): keep it to put back.
        self.session_user = getattr(request, "user", None)
        return super().initialize_request(request, *args, **kwargs)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # /api/ has no language prefix, so LocaleMiddleware answers in English: the API takes Accept-Language.
        language = translation.get_language_from_request(request._request)
        translation.activate(language)
        request._request.LANGUAGE_CODE = language
        refuse_plain_http(request)
        self.format_kwarg = self.get_format_suffix(**kwargs)
        request.accepted_renderer, request.accepted_media_type = self.perform_content_negotiation(request)
        request.version, request.versioning_scheme = self.determine_version(request, *args, **kwargs)
        try:
            self.perform_authentication(request)
        finally:
            self.check_throttles(request)
        self.check_permissions(request)

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        if getattr(request, "_auth", None) is None and self.session_user is not None:
            request._request.user = self.session_user
        return super().finalize_response(request, response, *args, **kwargs)

    @property
    def organisation(self) -> Organisation:
        """The token's organisation: everything the request reads or writes belongs to it."""
        return self.request.auth.organisation

    @property
    def schema_only(self) -> bool:
        """drf-spectacular inspects views without a token while it builds the schema."""
        return getattr(self, "swagger_fake_view", False)

    def record(self, record_id: Any) -> Any:
        """One record of the view's queryset, noted for the read audit (DoesNotExist, so 404, otherwise)."""
        return reads.shown(self.target(record_id))

    def target(self, record_id: Any) -> Any:
        """One record of the view's queryset to change; noted only when the response shows it (`record`)."""
        return self.get_queryset().get(pk=record_id)

    def parsed(self, serializer_class: type[serializers.Serializer], *, partial: bool = False) -> dict[str, Any]:
        """The request body checked by a serializer (400 with field errors otherwise)."""
        serializer = serializer_class(data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def shown(self, record: Any, *, status: int = 200) -> Response:
        """One record in the resource's shape."""
        return Response(self.get_serializer(record).data, status=status)
