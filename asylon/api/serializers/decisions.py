"""Decisions: what the API shows of one and what recording or changing one takes."""

from __future__ import annotations

from rest_framework import serializers

from asylon.api.serializers.fields import Text, codes
from asylon.api.serializers.records import RecordSerializer


class DecisionSerializer(RecordSerializer):
    id = serializers.UUIDField()
    organisation = serializers.UUIDField()
    case = serializers.UUIDField()
    event = serializers.UUIDField(allow_null=True)
    decision_type = serializers.CharField(help_text="Vocabulary code (decision_type).")
    decision_maker = serializers.CharField(help_text="Vocabulary code (decision_maker).")
    outcome = serializers.CharField(allow_null=True, help_text="Vocabulary code (decision_outcome).")
    grounds = serializers.ListField(child=serializers.CharField(), help_text="Vocabulary codes (grounds).")
    decided_on = serializers.DateField(allow_null=True)
    served_on = serializers.DateField(allow_null=True)
    served_year = serializers.IntegerField(allow_null=True)
    served_month = serializers.IntegerField(allow_null=True)
    reference_number = serializers.CharField(allow_null=True)  # encrypted: null when empty
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class DecisionFieldsSerializer(serializers.Serializer):
    """Arguments `decision_record` and `decision_update` share (codes of the vocabularies named)."""

    decided_on = serializers.DateField(required=False, allow_null=True)
    outcome = Text(max_length=64, help_text="Vocabulary code (decision_outcome); empty for none.")
    grounds = codes(help_text="Vocabulary codes (grounds).")
    event = serializers.UUIDField(required=False, allow_null=True, help_text="An event of the same case.")
    reference_number = Text(max_length=100)


class DecisionRecordSerializer(DecisionFieldsSerializer):
    case = serializers.UUIDField()
    decision_type = Text(max_length=64, allow_blank=False, required=True)
    decision_maker = Text(max_length=64, allow_blank=False, required=True)
    served_on = serializers.DateField(allow_null=True)


class DecisionUpdateSerializer(DecisionFieldsSerializer):
    decision_type = Text(max_length=64, allow_blank=False)
    decision_maker = Text(max_length=64, allow_blank=False)
    served_on = serializers.DateField(required=False)
