"""Routes of /api/v1/ (docs/api.md): the REST API and its OpenAPI schema. Each views module lists its
own routes; this module gathers them."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny

from asylon.api.views import cases, decisions, documents, events, persons, statistics, vocabularies

app_name = "api"


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 document, public (it describes the API, no data); committed as docs/api/openapi.yaml."""

    authentication_classes = []  # type: ignore[assignment]
    permission_classes = [AllowAny]


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
