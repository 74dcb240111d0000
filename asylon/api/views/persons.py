"""/api/v1/persons/: list, search (by POST: a name or birth year never enters a URL), create, read and
change persons."""

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
from asylon.api.pagination import DEFAULT_PAGE_SIZE, PostedSearch
from asylon.api.selectors import api_cases, api_persons
from asylon.api.serializers.persons import (
    PersonCreateSerializer,
    PersonFieldsSerializer,
    PersonSearchSerializer,
    PersonSerializer,
)
from asylon.api.views.base import ApiView, record_id
from asylon.cases.models import Case
from asylon.people.models import Person
from asylon.people.selectors import persons_matching_name
from asylon.people.services import person_create, person_update

ID = OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH)
SEARCHED_BY_POST = frozenset({"name", "birth_year"})
CURSOR = OpenApiParameter(
    "cursor",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    description="Set by the `next` and `previous` links: post the same body to them for the next or previous page.",
)


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
        # The former filters, refused rather than ignored (which would list everyone): a URL is logged.
        moved = SEARCHED_BY_POST.intersection(request.query_params)
        if moved:
            message = _("Search by this with POST /api/v1/persons/search/, not in the URL.")
            raise ValidationError({name: message for name in sorted(moved)})
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


@extend_schema(tags=["persons"])
class PersonSearch(PersonView):
    pagination_class = PostedSearch
    posted_read = True  # a read sent by POST to keep the search out of the URL: read tokens may use it

    @extend_schema(
        operation_id="persons_search",
        summary="Persons matching a name (blind index, any script) and/or a birth year, newest first",
        parameters=[CURSOR],
        request=PersonSearchSerializer,
        responses={200: PersonSerializer(many=True)},
        examples=[OpenApiExample("name", value={"name": "Ivanou", "page_size": 20}, request_only=True)],
    )
    def post(self, request: Request) -> Response:
        in_url = set(request.query_params) - {"cursor"}  # the search is in the body; nothing else may be in the URL
        if in_url:
            message = _("Send the search in the body; the URL takes only a cursor.")
            raise ValidationError({name: message for name in sorted(in_url)})
        search = self.parsed(PersonSearchSerializer)
        persons = self.get_queryset()
        if search.get("name"):
            matching = persons_matching_name(user=request.user, text=search["name"])
            persons = persons.filter(pk__in=matching.values("pk"))
        if search.get("birth_year") is not None:
            persons = persons.filter(birth_year=search["birth_year"])
        self.paginator.page_size = search.get("page_size", DEFAULT_PAGE_SIZE)
        page = self.paginate_queryset(persons)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


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
    path("persons/search/", PersonSearch.as_view(), name="person_search"),  # before persons/<id>/, which would take it
    path("persons/<str:id>/", PersonDetail.as_view(), name="person"),
]
