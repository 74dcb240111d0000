"""/api/v1/persons/: list (with the blind-index name search), create, read and change persons."""

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
from asylon.api.filters import PersonFilter
from asylon.api.selectors import api_cases, api_persons
from asylon.api.serializers.persons import PersonCreateSerializer, PersonFieldsSerializer, PersonSerializer
from asylon.api.views.base import ApiView, record_id
from asylon.cases.models import Case
from asylon.people.models import Person
from asylon.people.services import person_create, person_update

ID = OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH)


def case_named(view: ApiView, case_id: Any) -> Case:
    """The case a body names, among those the user may open (a field error otherwise)."""
    try:
        return api_cases(user=view.request.user, organisation=view.organisation).get(pk=case_id)
    except Case.DoesNotExist:
        raise ValidationError({"case": _("No such case, or not one you may open.")}) from None


class PersonView(ApiView):
    serializer_class = PersonSerializer

    def get_queryset(self) -> Any:
        if self.schema_only:
            return Person.objects.none()
        return api_persons(user=self.request.user, organisation=self.organisation)


@extend_schema(tags=["persons"])
class PersonList(ListModelMixin, PersonView):
    filterset_class = PersonFilter

    @extend_schema(operation_id="persons_list", summary="Persons party to cases the token's user may open")
    def get(self, request: Request) -> Response:
        return self.list(request)

    @extend_schema(
        operation_id="persons_create",
        summary="Create a person as a party to a case",
        request=PersonCreateSerializer,
        responses={201: PersonSerializer},
        examples=[
            OpenApiExample(
                "client",
                value={
                    "case": "00000000-0000-4000-8000-000000000001",
                    "given_name": "Siarhei",
                    "family_name": "Ivanou",
                    "citizenship": "BY",
                    "birth_year": 1990,
                },
            )
        ],
    )
    def post(self, request: Request) -> Response:
        data = self.parsed(PersonCreateSerializer)
        case = case_named(self, data.pop("case"))
        person = person_create(actor=request.user, case=case, **data)
        return self.shown(self.record(person.pk), status=201)


@extend_schema(tags=["persons"], parameters=[ID])
class PersonDetail(PersonView):
    @extend_schema(operation_id="persons_read", summary="One person (fields within the reader's clearance)")
    def get(self, request: Request, id: str) -> Response:
        return self.shown(self.record(record_id(id)))

    @extend_schema(
        operation_id="persons_update",
        summary="Change a person (only the fields sent)",
        request=PersonFieldsSerializer,
        examples=[OpenApiExample("languages", value={"languages": ["be", "ru"], "dependants": 2})],
    )
    def patch(self, request: Request, id: str) -> Response:
        person = self.target(record_id(id))
        changes = self.parsed(PersonFieldsSerializer, partial=True)
        if changes:
            person_update(actor=request.user, person=person, **changes)
        else:  # nothing sent, nothing changed: no audit entry, but the same refusal as the service's
            require(request.user, "people.change_person", person)
        return self.shown(self.record(person.pk))


urlpatterns = [
    path("persons/", PersonList.as_view(), name="persons"),
    path("persons/<str:id>/", PersonDetail.as_view(), name="person"),
]
