"""Documents: metadata only (never the file, its stored name or its digests)."""

from __future__ import annotations

from rest_framework import serializers

from asylon.api.serializers.records import RecordSerializer
from asylon.evidence.models import RedactionLevel


class DocumentSerializer(RecordSerializer):
    id = serializers.UUIDField()
    organisation = serializers.UUIDField()
    case = serializers.UUIDField()
    person = serializers.UUIDField(allow_null=True)
    event = serializers.UUIDField(allow_null=True)
    filename = serializers.CharField(allow_null=True)  # encrypted: null when empty
    description = serializers.CharField(allow_null=True)  # encrypted: null when empty
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    uploaded_by = serializers.UUIDField(allow_null=True)
    redaction_level = serializers.ChoiceField(choices=RedactionLevel.choices)
    consent_to_publish = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
