"""/api/v1/cases/: list, open, read and change cases through the pages' selectors and services."""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework.mixins import ListModelMixin
from rest_framework.request import Request
from rest_framework.response import Response

from asylon.accounts.permissions import require
from asylon.api.filters import CaseFilter
from asylon.api.selectors import api_cases
from asylon.api.serializers.cases import CaseOpenSerializer, CaseSerializer, CaseUpdateSerializer
from asylon.api.views.base import ApiView, record_id
from asylon.cases.models import Case
from asylon.cases.services.case import case_open, case_update

ID = OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH)


class CaseView(ApiView):
    serializer_class = CaseSerializer

    def get_queryset(self) -> Any:
        if self.schema_only:
            return Case.objects.none()
        return api_cases(user=self.request.user, organisation=self.organisation)


@extend_schema(tags=["cases"])
class CaseList(ListModelMixin, CaseView):
    filterset_class = CaseFilter

    @extend_schema(operation_id="cases_list", summary="Cases the token's user may open")
    def get(self, request: Request) -> Response:
        return self.list(request)

    @extend_schema(
        operation_id="cases_open",
        summary="Open a case (the token's user becomes a member)",
        request=CaseOpenSerializer,
        responses={201: CaseSerializer},
        examples=[OpenApiExample("risk", value={"risk": "high", "summary": "Refused asylum, appeal pending."})],
    )
    def post(self, request: Request) -> Response:
        case = case_open(actor=request.user, organisation=self.organisation, **self.parsed(CaseOpenSerializer))
        return self.shown(self.record(case.pk), status=201)


@extend_schema(tags=["cases"], parameters=[ID])
class CaseDetail(CaseView):
    @extend_schema(operation_id="cases_read", summary="One case")
    def get(self, request: Request, id: str) -> Response:
        return self.shown(self.record(record_id(id)))

    @extend_schema(
        operation_id="cases_update",
        summary="Change a case (only the fields sent)",
        request=CaseUpdateSerializer,
        examples=[OpenApiExample("risk", value={"risk": "critical"})],
    )
    def patch(self, request: Request, id: str) -> Response:
        case = self.target(record_id(id))
        changes = self.parsed(CaseUpdateSerializer, partial=True)
        if changes:
            case_update(actor=request.user, case=case, **changes)
        else:  # nothing sent, nothing changed: no audit entry, but the same refusal as the service's
            require(request.user, "cases.change_case", case)
        return self.shown(self.record(case.pk))


urlpatterns = [
    path("cases/", CaseList.as_view(), name="cases"),
    path("cases/<str:id>/", CaseDetail.as_view(), name="case"),
]
