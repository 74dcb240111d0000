"""Routes of /api/v1/ (docs/api.md): the REST API and its OpenAPI schema. Each views module lists its
own routes; this module gathers them."""

from typing import Any

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request

from asylon.api.views import cases, decisions, documents, events, persons, statistics, vocabularies
from asylon.api.views.base import refuse_plain_http

app_name = "api"


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 document, public (it describes the API, no data); committed as docs/api/openapi.yaml."""

    authentication_classes = []  # type: ignore[assignment]
    permission_classes = [AllowAny]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # Refused like every API route (a client may send its token here too), in JSON like their errors,
        # not in the schema's YAML: the negotiation below replaces this renderer when the request goes on.
        request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
        refuse_plain_http(request)
        super().initial(request, *args, **kwargs)


urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    *cases.urlpatterns,
    *persons.urlpatterns,
    *events.urlpatterns,
    *decisions.urlpatterns,
    *documents.urlpatterns,
    *vocabularies.urlpatterns,
    *statistics.urlpatterns,
]
