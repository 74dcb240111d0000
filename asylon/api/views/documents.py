"""/api/v1/documents/: document records of visible cases, metadata only (files are downloaded from the
case page, where re-authentication and the custody log apply)."""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.mixins import ListModelMixin
from rest_framework.request import Request
from rest_framework.response import Response

from asylon.api.filters import DocumentFilter
from asylon.api.selectors import api_documents
from asylon.api.serializers.documents import DocumentSerializer
from asylon.api.views.base import ApiView, record_id
from asylon.evidence.models import Document


class DocumentView(ApiView):
    serializer_class = DocumentSerializer

    def get_queryset(self) -> Any:
        if self.schema_only:
            return Document.objects.none()
        return api_documents(user=self.request.user, organisation=self.organisation)


@extend_schema(tags=["documents"])
class DocumentList(ListModelMixin, DocumentView):
    filterset_class = DocumentFilter

    @extend_schema(operation_id="documents_list", summary="Document records of cases the token's user may open")
    def get(self, request: Request) -> Response:
        return self.list(request)


@extend_schema(tags=["documents"], parameters=[OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH)])
class DocumentDetail(DocumentView):
    @extend_schema(operation_id="documents_read", summary="One document record")
    def get(self, request: Request, id: str) -> Response:
        return self.shown(self.record(record_id(id)))


urlpatterns = [
    path("documents/", DocumentList.as_view(), name="documents"),
    path("documents/<str:id>/", DocumentDetail.as_view(), name="document"),
]
