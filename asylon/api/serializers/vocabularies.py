"""Vocabularies and their terms (reference data, no personal data): codes, translated labels, hierarchy."""

from __future__ import annotations

from rest_framework import serializers

from asylon.vocab.models import Term, Vocabulary


class VocabularySerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.SerializerMethodField(help_text="In the request's language (Accept-Language).")
    labels = serializers.DictField(child=serializers.CharField(), help_text="Label per language code.")
    organisation = serializers.UUIDField(source="organisation_id", allow_null=True)

    def get_label(self, vocabulary: Vocabulary) -> str:
        return vocabulary.label()


class TermSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    code = serializers.CharField()
    label = serializers.SerializerMethodField(help_text="In the request's language (Accept-Language).")
    labels = serializers.DictField(child=serializers.CharField(), help_text="Label per language code.")
    parent = serializers.SerializerMethodField(help_text="The parent term's code.")
    huridocs_code = serializers.CharField()
    version = serializers.IntegerField()
    active = serializers.BooleanField()
    position = serializers.IntegerField()
    organisation = serializers.UUIDField(source="organisation_id", allow_null=True)

    def get_label(self, term: Term) -> str:
        return term.label()

    def get_parent(self, term: Term) -> str | None:
        return term.parent.code if term.parent is not None else None
