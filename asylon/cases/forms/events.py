"""Recording and changing an ESF event: type, date with its precision, victim, place, perpetrator, sources."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from asylon.accounts.clearance import redacted, redacted_many
from asylon.cases.forms.case import DATE_INPUT
from asylon.cases.models import Case, Event, ViolationStatus
from asylon.common.models import DatePrecision
from asylon.evidence.models import Source
from asylon.people.models import Person
from asylon.people.selectors import parties_of_case
from asylon.vocab import codes
from asylon.vocab.forms import TermChoiceField, offer_terms

# Each precision says which inputs it needs, so the form reads right without JavaScript.
PRECISION_CHOICES = [
    (DatePrecision.DAY, _("Exact day: enter the date")),
    (DatePrecision.APPROXIMATE, _("Approximate: enter the nearest date you know")),
    (DatePrecision.MONTH, _("Month only: enter the year and the month")),
    (DatePrecision.YEAR, _("Year only: enter the year")),
]
DATE_FIELDS = ("date_precision", "occurred_on", "year", "month")

# Django has no localised country names and the project ships no country list: the countries casework
# is about (DOMAIN.md) by name, any other by its two-letter code.
COUNTRY_CHOICES = [
    ("", "—"),
    ("BY", _("Belarus")),
    ("LT", _("Lithuania")),
    ("RU", _("Russia")),
    ("UA", _("Ukraine")),
]
LISTED_COUNTRIES = frozenset(code for code, _label in COUNTRY_CHOICES if code)


class SourceChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Source) -> str:
        return obj.title


class PartyChoiceField(forms.ModelChoiceField):
    """Persons party to the case, named as far as the user's clearance reaches."""

    labels: dict[Any, str]

    def label_from_instance(self, obj: Person) -> str:
        return self.labels.get(obj.pk, "")


def party_labels(user: Any, persons: list[Person]) -> dict[Any, str]:
    """Each person's name within the user's clearance, or a neutral numbered label."""
    labels = {}
    for number, view in enumerate(redacted_many(user, persons), start=1):
        name = " ".join(str(part) for part in (view.given_name, view.family_name) if part)
        labels[view.pk] = name or str(_("Person %(number)s (name withheld)") % {"number": number})
    return labels


class EventForm(forms.Form):
    """One form for adding and editing; field names are event_record's and event_update's arguments."""

    event_type = TermChoiceField(label=_("What happened"), vocabulary=codes.EVENT_TYPE)
    date_precision = forms.ChoiceField(
        label=_("How precisely is the date known?"),
        choices=PRECISION_CHOICES,
        initial=DatePrecision.DAY,
        widget=forms.RadioSelect,
    )
    occurred_on = forms.DateField(
        label=_("Date"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("For an exact day or an approximate date."),
    )
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        help_text=_("For month or year precision. Not needed when you enter a date."),
    )
    month = forms.TypedChoiceField(
        label=_("Month"),
        choices=[("", "—"), *MONTHS.items()],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("For month precision. Not needed when you enter a date."),
    )
    person = PartyChoiceField(
        label=_("Victim"),
        queryset=Person.objects.none(),
        required=False,
        empty_label="—",
        help_text=_("A person party to the case."),
    )
    country = forms.ChoiceField(label=_("Country"), choices=COUNTRY_CHOICES, required=False)
    country_other = forms.CharField(
        label=_("Another country"),
        max_length=2,
        required=False,
        help_text=_("If the country is not in the list: its two-letter code, for example PL."),
    )
    region = forms.CharField(label=_("Region"), max_length=60, required=False)
    perpetrator = TermChoiceField(
        label=_("Perpetrator or decision maker"), vocabulary=codes.DECISION_MAKER, required=False
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    violation_status = forms.ChoiceField(
        label=_("Violation status"), choices=ViolationStatus.choices, initial=ViolationStatus.POSSIBLE
    )
    alert_safe = forms.BooleanField(label=_("Publicity cannot harm the person"), required=False)
    consent_to_publish = forms.BooleanField(label=_("The person consents to publication"), required=False)
    sources = SourceChoiceField(
        label=_("Sources"),
        queryset=Source.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Public sources your organisation has recorded."),
    )

    def __init__(self, *args: Any, case: Case, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_terms(self, case.organisation)
        persons = parties_of_case(user=user, case=case)
        person_field: Any = self.fields["person"]
        person_field.queryset = persons
        person_field.labels = party_labels(user, list(persons))
        sources: Any = self.fields["sources"]
        sources.queryset = Source.objects.filter(organisation=case.organisation).order_by("title")
        if not sources.queryset.exists():
            sources.help_text = _("Your organisation has recorded no sources yet.")

    def clean_description(self) -> str:
        # Browsers send a textarea's line breaks as CR LF; store them as typed.
        return str(self.cleaned_data["description"]).replace("\r\n", "\n")

    def clean_country_other(self) -> str:
        return str(self.cleaned_data["country_other"]).strip().upper()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        other = cleaned.pop("country_other", "")
        if other:
            if cleaned.get("country") and cleaned["country"] != other:
                self.add_error("country_other", _("Choose a country from the list or type a code, not both."))
            cleaned["country"] = other
        self._check_date_parts(cleaned)
        return cleaned

    def _check_date_parts(self, cleaned: dict[str, Any]) -> None:
        """A year or month typed beside a date must agree with it: the date wins, nothing is silently dropped."""
        occurred_on: datetime.date | None = cleaned.get("occurred_on")
        if occurred_on is None:
            return
        if cleaned.get("year") is not None and cleaned["year"] != occurred_on.year:
            self.add_error("year", _("This year differs from the date. Correct one of them or leave the year empty."))
        if cleaned.get("month") is not None and cleaned["month"] != occurred_on.month:
            self.add_error(
                "month", _("This month differs from the date. Correct one of them or leave the month empty.")
            )

    def changed_arguments(self) -> dict[str, Any]:
        """The service arguments the user changed (the date parts always travel together)."""
        changed = set(self.changed_data)
        if "country_other" in changed:
            changed.add("country")
        if changed & set(DATE_FIELDS):
            changed |= set(DATE_FIELDS)
        return {name: value for name, value in self.cleaned_data.items() if name in changed}


def event_initial(user: Any, event: Event) -> dict[str, Any]:
    """What the edit form starts from; fields above the user's clearance (the exact date) stay empty."""
    view = redacted(user, event)
    exact = view.date_precision in (DatePrecision.DAY, DatePrecision.APPROXIMATE)
    country = view.country or ""
    listed = country in LISTED_COUNTRIES or not country
    return {
        "event_type": event.event_type.code,
        "date_precision": view.date_precision,
        "occurred_on": view.occurred_on or None,
        "year": None if exact else view.year or None,  # a date carries its own year and month
        "month": None if exact or view.date_precision == DatePrecision.YEAR else view.month or None,
        "person": view.person or None,
        "country": country if listed else "",
        "country_other": "" if listed else country,
        "region": view.region or "",
        "perpetrator": event.perpetrator.code if event.perpetrator else "",
        "description": view.description or "",
        "violation_status": view.violation_status,
        "alert_safe": bool(view.alert_safe),
        "consent_to_publish": bool(view.consent_to_publish),
        "sources": list(view.sources or []),
    }
