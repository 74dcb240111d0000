"""/api/v1/events/: list, record, read and change ESF events through the pages' services."""

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
from asylon.api.filters import EventFilter
from asylon.api.selectors import api_events, api_persons
from asylon.api.serializers.events import EventRecordSerializer, EventSerializer, EventUpdateSerializer
from asylon.api.views.base import ApiView, record_id
from asylon.api.views.persons import case_named
from asylon.cases.models import Event
from asylon.cases.services.events import event_record, event_update
from asylon.people.models import Person

ID = OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH)


def person_named(view: ApiView, data: dict[str, Any]) -> None:
    """Replace a body's person id by the person, among those the user may see (a field error otherwise)."""
    if data.get("person") is None:
        return
    try:
        data["person"] = api_persons(user=view.request.user, organisation=view.organisation).get(pk=data["person"])
    except Person.DoesNotExist:
        raise ValidationError({"person": _("No such person, or not one you may see.")}) from None


class EventView(ApiView):
    serializer_class = EventSerializer

    def get_queryset(self) -> Any:
        if self.schema_only:
            return Event.objects.none()
        return api_events(user=self.request.user, organisation=self.organisation)


@extend_schema(tags=["events"])
class EventList(ListModelMixin, EventView):
    filterset_class = EventFilter

    @extend_schema(operation_id="events_list", summary="Events of cases the token's user may open")
    def get(self, request: Request) -> Response:
        return self.list(request)

    @extend_schema(
        operation_id="events_record",
        summary="Record an event in a case",
        request=EventRecordSerializer,
        responses={201: EventSerializer},
        examples=[
            OpenApiExample(
                "visa refused",
                value={
                    "case": "00000000-0000-4000-8000-000000000001",
                    "event_type": "visa_refused",
                    "date_precision": "month",
                    "year": 2024,
                    "month": 3,
                    "country": "LT",
                },
            )
        ],
    )
    def post(self, request: Request) -> Response:
        data = self.parsed(EventRecordSerializer)
        case = case_named(self, data.pop("case"))
        person_named(self, data)
        event = event_record(actor=request.user, case=case, **data)
        return self.shown(self.record(event.pk), status=201)


@extend_schema(tags=["events"], parameters=[ID])
class EventDetail(EventView):
    @extend_schema(operation_id="events_read", summary="One event")
    def get(self, request: Request, id: str) -> Response:
        return self.shown(self.record(record_id(id)))

    @extend_schema(
        operation_id="events_update",
        summary="Change an event (only the fields sent; a date with its precision)",
        request=EventUpdateSerializer,
        examples=[OpenApiExample("status", value={"violation_status": "confirmed", "region": "Vilnius"})],
    )
    def patch(self, request: Request, id: str) -> Response:
        event = self.target(record_id(id))
        data = self.parsed(EventUpdateSerializer, partial=True)
        person_named(self, data)
        if data:
            event_update(actor=request.user, event=event, **data)
        else:  # nothing sent, nothing changed: no audit entry, but the same refusal as the service's
            require(request.user, "cases.change_event", event.case)
        return self.shown(self.record(event.pk))


urlpatterns = [
    path("events/", EventList.as_view(), name="events"),
    path("events/<str:id>/", EventDetail.as_view(), name="event"),
]
