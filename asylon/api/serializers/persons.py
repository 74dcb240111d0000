"""Persons: what the API shows of one (within the reader's clearance) and what creating or changing one takes."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from asylon.api.pagination import MAX_PAGE_SIZE
from asylon.api.serializers.fields import SMALL_INT, Text, codes
from asylon.api.serializers.records import RecordSerializer
from asylon.cases.models import PartyRole
from asylon.people.models import MilitaryServiceType, Sex
from asylon.people.views.search import MAX_QUERY


class PersonSerializer(RecordSerializer):
    id = serializers.UUIDField()
    organisation = serializers.UUIDField()
    given_name = serializers.CharField(allow_null=True)  # encrypted: null when empty
    family_name = serializers.CharField(allow_null=True)  # encrypted: null when empty
    patronymic = serializers.CharField(allow_null=True)  # encrypted: null when empty
    name_variants = serializers.JSONField()
    birth_date = serializers.DateField(allow_null=True)
    contacts = serializers.JSONField()
    identifiers = serializers.JSONField()
    addresses = serializers.JSONField()
    religion = serializers.CharField(allow_null=True)  # encrypted: null when empty
    biography = serializers.CharField(allow_null=True)  # encrypted: null when empty
    host_country_history = serializers.CharField(allow_null=True)  # encrypted: null when empty
    birth_year = serializers.IntegerField(allow_null=True)
    sex = serializers.ChoiceField(choices=Sex.choices)
    citizenship = serializers.CharField()
    other_citizenships = serializers.JSONField()
    country_of_origin = serializers.CharField()
    region = serializers.CharField()
    entry_year = serializers.IntegerField(allow_null=True)
    languages = serializers.JSONField()
    dependants = serializers.IntegerField()
    vulnerabilities = serializers.JSONField()
    military_service_category = serializers.ChoiceField(choices=MilitaryServiceType.choices)
    military_status = serializers.JSONField()
    claim_basis = serializers.CharField(allow_null=True, help_text="Vocabulary code (claim_basis).")
    objection_declared = serializers.BooleanField()
    draft_evader = serializers.BooleanField()
    deserter = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class ContactSerializer(serializers.Serializer):
    kind = Text(max_length=40, allow_blank=False, required=True)
    value = Text(max_length=200, allow_blank=False, required=True)


class IdentifierSerializer(serializers.Serializer):
    type = Text(max_length=60, allow_blank=False, required=True)
    number = Text(max_length=100, allow_blank=False, required=True)
    country = Text(max_length=2)


class AddressSerializer(serializers.Serializer):
    text = Text(max_length=500, allow_blank=False, required=True)


class PersonFieldsSerializer(serializers.Serializer):
    """The person fields `person_create` and `person_update` take, in the shapes the pages store."""

    given_name = Text(max_length=200)
    family_name = Text(max_length=200)
    patronymic = Text(max_length=200)
    name_variants = serializers.ListField(child=Text(max_length=200, allow_blank=False), max_length=50, required=False)
    birth_date = serializers.DateField(required=False, allow_null=True)
    contacts = serializers.ListField(child=ContactSerializer(), max_length=50, required=False)
    identifiers = serializers.ListField(child=IdentifierSerializer(), max_length=50, required=False)
    addresses = serializers.ListField(child=AddressSerializer(), max_length=50, required=False)
    religion = Text(max_length=200)
    biography = Text()
    host_country_history = Text()
    birth_year = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=SMALL_INT)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    citizenship = Text(max_length=2)
    other_citizenships = codes(max_length=2)
    country_of_origin = Text(max_length=2)
    region = Text(max_length=60)
    entry_year = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=SMALL_INT)
    languages = codes(max_length=10)
    dependants = serializers.IntegerField(required=False, min_value=0, max_value=SMALL_INT)
    vulnerabilities = codes()
    military_service_category = serializers.ChoiceField(choices=MilitaryServiceType.choices, required=False)
    military_status = codes()
    claim_basis = Text(max_length=64, help_text="Vocabulary code (claim_basis); empty for none.")
    objection_declared = serializers.BooleanField(required=False)
    draft_evader = serializers.BooleanField(required=False)
    deserter = serializers.BooleanField(required=False)


class PersonCreateSerializer(PersonFieldsSerializer):
    """`person_create`: the person joins a case the token's user may change, in a party role."""

    case = serializers.UUIDField()
    role = serializers.ChoiceField(choices=PartyRole.choices, required=False)


class PersonSearchSerializer(serializers.Serializer):
    """A person search, posted: a name or a birth year in a URL would stay in proxies' and servers' access logs."""

    name = Text(max_length=MAX_QUERY, help_text="Any spelling, in any script; only where the clearance reaches names.")
    birth_year = serializers.IntegerField(required=False, min_value=0, max_value=SMALL_INT)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PAGE_SIZE)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("name") and attrs.get("birth_year") is None:
            raise serializers.ValidationError({"name": _("Give a name or a birth year to search for.")})
        return attrs
