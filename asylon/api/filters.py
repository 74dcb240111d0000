"""List filters: clear fields only (an encrypted value cannot be filtered on, and must not be: a filter
is an oracle for what it matches), and no value of a person: a filter is part of the URL, which
proxies and access logs keep. Codes, record ids, case references and the dates of cases, events and
decisions only; a person's name and birth year are searched by POST (/api/v1/persons/search/)."""

from __future__ import annotations

import django_filters as filters

from asylon.api.serializers.fields import SMALL_INT
from asylon.cases.models import Case, CaseStatus, Decision, Event, Risk
from asylon.common.models import DatePrecision
from asylon.evidence.models import Document, RedactionLevel
from asylon.people.models import MilitaryServiceType, Person, Sex


def year_filter(field_name: str) -> filters.NumberFilter:
    # Bounded: a number beyond the column's range would be refused by the database, not by us.
    return filters.NumberFilter(field_name=field_name, min_value=0, max_value=SMALL_INT, decimal_places=0)


class CaseFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=CaseStatus.choices)
    risk = filters.ChoiceFilter(choices=Risk.choices)
    jurisdiction = filters.CharFilter(max_length=2)
    reference = filters.CharFilter(max_length=40)
    opened_from = filters.DateFilter(field_name="opened_on", lookup_expr="gte")
    opened_to = filters.DateFilter(field_name="opened_on", lookup_expr="lte")

    class Meta:
        model = Case
        fields = ["status", "risk", "jurisdiction", "reference"]


class PersonFilter(filters.FilterSet):
    case = filters.UUIDFilter(field_name="case_parties__case")
    citizenship = filters.CharFilter(max_length=2)
    country_of_origin = filters.CharFilter(max_length=2)
    sex = filters.ChoiceFilter(choices=Sex.choices)
    military_service_category = filters.ChoiceFilter(choices=MilitaryServiceType.choices)

    class Meta:
        model = Person
        fields = ["citizenship", "country_of_origin", "sex", "military_service_category"]


def _code(field_name: str, help_text: str) -> filters.CharFilter:
    return filters.CharFilter(field_name=f"{field_name}__code", max_length=64, help_text=help_text)


class EventFilter(filters.FilterSet):
    case = filters.UUIDFilter()
    person = filters.UUIDFilter()
    event_type = _code("event_type", "Vocabulary code (event_type).")
    date_precision = filters.ChoiceFilter(choices=DatePrecision.choices)
    year = year_filter("year")
    country = filters.CharFilter(max_length=2)

    class Meta:
        model = Event
        fields = ["case", "person", "date_precision", "country"]


class DecisionFilter(filters.FilterSet):
    case = filters.UUIDFilter()
    decision_type = _code("decision_type", "Vocabulary code (decision_type).")
    decision_maker = _code("decision_maker", "Vocabulary code (decision_maker).")
    outcome = _code("outcome", "Vocabulary code (decision_outcome).")
    served_year = year_filter("served_year")

    class Meta:
        model = Decision
        fields = ["case"]


class DocumentFilter(filters.FilterSet):
    case = filters.UUIDFilter()
    person = filters.UUIDFilter()
    event = filters.UUIDFilter()
    redaction_level = filters.ChoiceFilter(choices=RedactionLevel.choices)

    class Meta:
        model = Document
        fields = ["case", "person", "event", "redaction_level"]
