"""Statistics: the catalogue of aggregates and one aggregate after disclosure control (suppressed
counts have no value, only their status, exactly as on the statistics page and in its CSV)."""

from __future__ import annotations

from rest_framework import serializers

from asylon.reports.forms.statistics import FIRST_YEAR, LAST_YEAR
from asylon.reports.statistics.measures import COUNTRY_NAMES


class AggregateSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()


class StatisticsQuerySerializer(serializers.Serializer):
    """The statistics page's filters, under the same names as its form (which parses them: this
    serializer documents them in the schema)."""

    from_year = serializers.IntegerField(required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)
    to_year = serializers.IntegerField(required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)
    citizenship = serializers.ChoiceField(choices=sorted(COUNTRY_NAMES), required=False)
    rounding = serializers.ChoiceField(choices=[5, 10], required=False, help_text="Round published counts.")


class RuleSerializer(serializers.Serializer):
    threshold = serializers.IntegerField(help_text="Counts below this many people are suppressed.")
    rounding_base = serializers.IntegerField(allow_null=True)
    description = serializers.CharField()


class LineSerializer(serializers.Serializer):
    row = serializers.CharField(help_text="The row value's code; empty for all (a margin).")
    row_label = serializers.CharField()
    column = serializers.CharField(help_text="The column value's code; empty for all or for one-way tables.")
    column_label = serializers.CharField()
    value = serializers.IntegerField(allow_null=True, help_text="Null when suppressed.")
    suppressed = serializers.BooleanField()
    margin = serializers.BooleanField()


class ProtectedTableSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    question = serializers.CharField(help_text="What the table counts, in words.")
    row_dimension = serializers.CharField(allow_null=True)
    column_dimension = serializers.CharField(allow_null=True)
    as_of = serializers.DateTimeField()
    rule = RuleSerializer()
    lines = LineSerializer(many=True)
