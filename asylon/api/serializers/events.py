"""Events (ESF acts): what the API shows of one and what recording or changing one takes."""

from __future__ import annotations

from rest_framework import serializers

from asylon.api.serializers.fields import SMALL_INT, Text
from asylon.api.serializers.records import RecordSerializer
from asylon.cases.models import ViolationStatus
from asylon.common.models import DatePrecision


class EventSerializer(RecordSerializer):
    id = serializers.UUIDField()
    organisation = serializers.UUIDField()
    case = serializers.UUIDField()
    person = serializers.UUIDField(allow_null=True)
    event_type = serializers.CharField(help_text="Vocabulary code (event_type).")
    date_precision = serializers.ChoiceField(choices=DatePrecision.choices)
    occurred_on = serializers.DateField(allow_null=True)
    year = serializers.IntegerField()
    month = serializers.IntegerField(allow_null=True)
    country = serializers.CharField()
    region = serializers.CharField()
    perpetrator = serializers.CharField(allow_null=True, help_text="Vocabulary code (decision_maker).")
    description = serializers.CharField(allow_null=True)  # encrypted: null when empty
    violation_status = serializers.ChoiceField(choices=ViolationStatus.choices)
    alert_safe = serializers.BooleanField()
    consent_to_publish = serializers.BooleanField()
    sources = serializers.ListField(child=serializers.UUIDField())
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class EventFieldsSerializer(serializers.Serializer):
    """Arguments `event_record` and `event_update` share. A date is given with its precision: an exact
    date (`occurred_on`) for day or approximate, otherwise `year` and for month precision `month`."""

    date_precision = serializers.ChoiceField(choices=DatePrecision.choices, required=False)
    occurred_on = serializers.DateField(required=False, allow_null=True)
    year = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=SMALL_INT)
    month = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=SMALL_INT)
    perpetrator = Text(max_length=64, help_text="Vocabulary code (decision_maker); empty for none.")
    person = serializers.UUIDField(required=False, allow_null=True, help_text="A party to the event's case.")
    country = Text(max_length=2)
    region = Text(max_length=60)
    description = Text()
    violation_status = serializers.ChoiceField(choices=ViolationStatus.choices, required=False)
    alert_safe = serializers.BooleanField(required=False)
    consent_to_publish = serializers.BooleanField(required=False)


class EventRecordSerializer(EventFieldsSerializer):
    case = serializers.UUIDField()
    event_type = Text(max_length=64, allow_blank=False, required=True, help_text="Vocabulary code (event_type).")
    date_precision = serializers.ChoiceField(choices=DatePrecision.choices)


class EventUpdateSerializer(EventFieldsSerializer):
    event_type = Text(max_length=64, allow_blank=False, help_text="Vocabulary code (event_type).")
