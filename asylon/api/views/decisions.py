"""/api/v1/decisions/: list, record, read and change decisions; their deadlines follow (the services)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework.mixins import ListModelMixin
from rest_framework.request import Request
from rest_framework.response import Response

from asylon.accounts.permissions import require
from asylon.api.filters import DecisionFilter
from asylon.api.selectors import api_decisions, api_events
from asylon.api.serializers.decisions import DecisionRecordSerializer, DecisionSerializer, DecisionUpdateSerializer
from asylon.api.views.base import ApiView, record_id
from asylon.api.views.persons import case_named
from asylon.cases.models import Decision, Event
from asylon.cases.services.decisions import decision_record, decision_update

ID = OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH)


def event_named(view: ApiView, data: dict[str, Any]) -> None:
    """Replace a body's event id by the event, among those the user may see (a field error otherwise)."""
    if data.get("event") is None:
        return
    try:
        data["event"] = api_events(user=view.request.user, organisation=view.organisation).get(pk=data["event"])
    except Event.DoesNotExist:
        raise ValidationError({"event": _("No such event, or not one you may see.")}) from None


class DecisionView(ApiView):
    serializer_class = DecisionSerializer

    def get_queryset(self) -> Any:
        if self.schema_only:
            return Decision.objects.none()
        return api_decisions(user=self.request.user, organisation=self.organisation)


@extend_schema(tags=["decisions"])
class DecisionList(ListModelMixin, DecisionView):
    filterset_class = DecisionFilter

    @extend_schema(operation_id="decisions_list", summary="Decisions of cases the token's user may open")
    def get(self, request: Request) -> Response:
        return self.list(request)

    @extend_schema(
        operation_id="decisions_record",
        summary="Record a decision (its deadlines are computed)",
        request=DecisionRecordSerializer,
        responses={201: DecisionSerializer},
        examples=[
            OpenApiExample(
                "asylum refused",
                value={
                    "case": "00000000-0000-4000-8000-000000000001",
                    "decision_type": "asylum",
                    "decision_maker": "migration_department",
                    "served_on": "2024-03-04",
                    "decided_on": "2024-03-01",
                },
            )
        ],
    )
    def post(self, request: Request) -> Response:
        data = self.parsed(DecisionRecordSerializer)
        case = case_named(self, data.pop("case"))
        event_named(self, data)
        decision = decision_record(actor=request.user, case=case, **data)
        return self.shown(self.record(decision.pk), status=201)


@extend_schema(tags=["decisions"], parameters=[ID])
class DecisionDetail(DecisionView):
    @extend_schema(operation_id="decisions_read", summary="One decision")
    def get(self, request: Request, id: str) -> Response:
        return self.shown(self.record(record_id(id)))

    @extend_schema(
        operation_id="decisions_update",
        summary="Change a decision (only the fields sent; null unlinks the event)",
        request=DecisionUpdateSerializer,
        examples=[OpenApiExample("number", value={"reference_number": "MD-2024-118"})],
    )
    def patch(self, request: Request, id: str) -> Response:
        decision = self.target(record_id(id))
        data = self.parsed(DecisionUpdateSerializer, partial=True)
        event_named(self, data)
        if data:
            decision_update(actor=request.user, decision=decision, **data)
        else:  # nothing sent, nothing changed: no audit entry, but the same refusal as the service's
            require(request.user, "cases.change_decision", decision.case)
        return self.shown(self.record(decision.pk))


urlpatterns = [
    path("decisions/", DecisionList.as_view(), name="decisions"),
    path("decisions/<str:id>/", DecisionDetail.as_view(), name="decision"),
]
