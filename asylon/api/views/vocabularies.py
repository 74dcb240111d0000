"""/api/v1/vocabularies/: the controlled vocabularies the organisation uses and their active terms
(reference data: codes the other resources take and give, with their translated labels)."""

from __future__ import annotations

import re
from typing import Any

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.mixins import ListModelMixin
from rest_framework.request import Request
from rest_framework.response import Response

from asylon.api.pagination import ByPosition
from asylon.api.selectors import api_terms, api_vocabularies, api_vocabulary
from asylon.api.serializers.vocabularies import TermSerializer, VocabularySerializer
from asylon.api.views.base import ApiView
from asylon.vocab.models import Term, Vocabulary

CODE = re.compile(r"[-a-zA-Z0-9_]{1,64}")


def vocabulary_of(view: ApiView, code: str) -> Vocabulary:
    """The vocabulary a path names (404 for a code that cannot be one, or is nobody's)."""
    if not CODE.fullmatch(code):
        raise exceptions.NotFound(_("Not found."))
    return api_vocabulary(organisation=view.organisation, code=code)


class VocabularyView(ApiView):
    serializer_class = VocabularySerializer

    def get_queryset(self) -> Any:
        if self.schema_only:
            return Vocabulary.objects.none()
        return api_vocabularies(organisation=self.organisation)


@extend_schema(tags=["vocabularies"])
class VocabularyList(ListModelMixin, VocabularyView):
    pagination_class = None  # a few dozen vocabularies

    @extend_schema(operation_id="vocabularies_list", summary="Vocabularies (instance-wide and the organisation's own)")
    def get(self, request: Request) -> Response:
        return Response(self.get_serializer(self.get_queryset(), many=True).data)


@extend_schema(tags=["vocabularies"])
class VocabularyDetail(VocabularyView):
    @extend_schema(operation_id="vocabularies_read", summary="One vocabulary")
    def get(self, request: Request, code: str) -> Response:
        return self.shown(vocabulary_of(self, code))


@extend_schema(tags=["vocabularies"])
class TermList(ListModelMixin, ApiView):
    serializer_class = TermSerializer
    pagination_class = ByPosition

    def get_queryset(self) -> Any:
        if self.schema_only:
            return Term.objects.none()
        return api_terms(organisation=self.organisation, vocabulary=vocabulary_of(self, self.kwargs["code"]))

    @extend_schema(operation_id="vocabularies_terms", summary="Active terms of a vocabulary, in display order")
    def get(self, request: Request, code: str) -> Response:
        return self.list(request)


urlpatterns = [
    path("vocabularies/", VocabularyList.as_view(), name="vocabularies"),
    path("vocabularies/<str:code>/", VocabularyDetail.as_view(), name="vocabulary"),
    path("vocabularies/<str:code>/terms/", TermList.as_view(), name="vocabulary_terms"),
]
