"""/api/v1/statistics/: the statistics page's aggregates through the same release as the page
(statistics_release: permission, disclosure control, differencing against earlier releases, the
ledger and the audit entry), so the API never shows a count the page would suppress. A refused
question is a 409 with the page's explanation; malformed filters a 400."""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response

from asylon.api.schema import ErrorSerializer
from asylon.api.serializers.statistics import AggregateSerializer, ProtectedTableSerializer, StatisticsQuerySerializer
from asylon.api.views.base import ApiView
from asylon.reports.forms.statistics import ROUND_KEY, StatisticsFilterForm
from asylon.reports.labels import breakdowns, lines, question_in_words
from asylon.reports.services.statistics import DisclosureRefused, statistics_release
from asylon.reports.statistics.aggregates import QuestionError, question_from_params
from asylon.reports.statistics.catalogue import BY_SLUG, ENTRIES
from asylon.reports.statistics.tables import ProtectedTable


class DisclosureConflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "disclosure_refused"


@extend_schema(tags=["statistics"])
class AggregateList(ApiView):
    filter_backends: list[type] = []
    serializer_class = AggregateSerializer
    pagination_class = None  # the catalogue is short and fixed

    @extend_schema(
        operation_id="statistics_list",
        summary="The aggregates of the statistics page",
        responses=AggregateSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        catalogue = [{"slug": entry.slug, "title": str(entry.title)} for entry in ENTRIES]
        return Response(self.get_serializer(catalogue, many=True).data)


def _shaped(slug: str, title: str, table: ProtectedTable) -> dict[str, object]:
    row_dimension, column_dimension = breakdowns(table)
    return {
        "slug": slug,
        "title": title,
        "question": question_in_words(table),
        "row_dimension": row_dimension,
        "column_dimension": column_dimension,
        "as_of": table.as_of,
        "rule": {
            "threshold": table.rule.threshold,
            "rounding_base": table.rule.rounding_base,
            "description": table.rule.describe(),
        },
        "lines": [
            {
                "row": line.row,
                "row_label": line.row_label,
                "column": line.column,
                "column_label": line.column_label,
                "value": line.published.value,
                "suppressed": line.published.suppressed,
                "margin": line.margin,
            }
            for line in lines(table)
        ],
    }


@extend_schema(tags=["statistics"])
class AggregateDetail(ApiView):
    filter_backends: list[type] = []
    serializer_class = ProtectedTableSerializer

    @extend_schema(
        operation_id="statistics_read",
        summary="One aggregate after disclosure control (suppressed counts have no value)",
        parameters=[StatisticsQuerySerializer],
        responses={
            200: ProtectedTableSerializer,
            409: OpenApiResponse(ErrorSerializer, description="Refused by disclosure control beside earlier figures."),
        },
    )
    def get(self, request: Request, slug: str) -> Response:
        entry = BY_SLUG.get(slug)
        if entry is None:
            raise exceptions.NotFound(_("No such aggregate."))
        organisation = self.organisation
        # The statistics page's own form, so the API takes exactly the page's filters.
        form = StatisticsFilterForm(request.query_params, organisations=[organisation])
        if not form.is_valid():
            raise exceptions.ValidationError({name: list(errors) for name, errors in form.errors.items()})
        params = form.question_filters()
        rounding = params.pop(ROUND_KEY, None)
        try:
            question = question_from_params(entry.question_params(params))
            table = statistics_release(
                actor=request.user,
                organisation=organisation,
                question=question,
                rounding_base=int(rounding) if rounding else None,
            )
        except QuestionError as error:
            raise exceptions.ValidationError({"question": [str(error)]}) from None
        except DisclosureRefused as refusal:
            raise DisclosureConflict(str(refusal)) from None
        return Response(self.get_serializer(_shaped(entry.slug, str(entry.title), table)).data)


urlpatterns = [
    path("statistics/", AggregateList.as_view(), name="statistics"),
    path("statistics/<str:slug>/", AggregateDetail.as_view(), name="statistics_aggregate"),
]
