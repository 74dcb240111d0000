"""Cases: what the API shows of one (within the reader's clearance) and what opening or changing one takes."""

from __future__ import annotations

from rest_framework import serializers

from asylon.api.serializers.fields import Text
from asylon.api.serializers.records import RecordSerializer
from asylon.cases.models import CaseStatus, Risk


class CaseSerializer(RecordSerializer):
    id = serializers.UUIDField()
    organisation = serializers.UUIDField()
    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    risk = serializers.ChoiceField(choices=Risk.choices)
    jurisdiction = serializers.CharField()
    lead_assignee = serializers.UUIDField(allow_null=True)
    opened_on = serializers.DateField()
    closed_on = serializers.DateField(allow_null=True)
    summary = serializers.CharField(allow_null=True)  # encrypted: null when empty
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class CaseOpenSerializer(serializers.Serializer):
    """Arguments of `case_open`; every one may be left out (the reference is then numbered)."""

    reference = Text(max_length=40)
    summary = Text()
    risk = serializers.ChoiceField(choices=Risk.choices, required=False)
    jurisdiction = Text(max_length=2)
    opened_on = serializers.DateField(required=False)


class CaseUpdateSerializer(serializers.Serializer):
    """Arguments of `case_update`: only the fields sent are changed."""

    status = serializers.ChoiceField(choices=CaseStatus.choices, required=False)
    risk = serializers.ChoiceField(choices=Risk.choices, required=False)
    jurisdiction = Text(max_length=2, allow_blank=False)
    opened_on = serializers.DateField(required=False)
    closed_on = serializers.DateField(required=False, allow_null=True)
    summary = Text()
