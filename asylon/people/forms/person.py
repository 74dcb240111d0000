"""Adding a person to a case and editing a person. Every field is a Person field (and a service argument)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from asylon.cases.models import PartyRole
from asylon.common.validators import plausible_year
from asylon.people.forms.fields import (
    AddressesField,
    CodesField,
    ContactsField,
    IdentifiersField,
    NameVariantsField,
    limit_to_clearance,
)
from asylon.people.models import MilitaryServiceType, Person, Sex
from asylon.vocab import codes
from asylon.vocab.forms import TermChoiceField, offer_terms

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

MILITARY_STATUS_CHOICES = [
    ("registered", _("registered for military service")),
    ("liable_for_mobilisation", _("liable for mobilisation")),
    ("deferment", _("deferment")),
    ("summons_received", _("summons received")),
    ("criminal_case_in_origin", _("criminal case in the country of origin")),
]
COUNTRY = re.compile(r"^[A-Z]{2}$")


class PersonForm(forms.Form):
    """The person's identity and profile; fields above the user's clearance are removed before use."""

    given_name = forms.CharField(label=_("Given name"), max_length=200, required=False)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=200, required=False)
    family_name = forms.CharField(label=_("Family name"), max_length=200, required=False)
    name_variants = NameVariantsField(
        label=_("Other spellings"), help_text=_("One spelling per line: other scripts and transliterations.")
    )
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DATE_INPUT)
    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        required=False,
        validators=[plausible_year],
        help_text=_("When the exact date is not known."),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    citizenship = forms.CharField(
        label=_("Citizenship"), max_length=2, required=False, help_text=_("A two-letter country code such as BY.")
    )
    other_citizenships = CodesField(
        label=_("Other citizenships"), upper=True, help_text=_("Two-letter country codes separated by commas.")
    )
    country_of_origin = forms.CharField(label=_("Country of origin"), max_length=2, required=False)
    contacts = ContactsField(
        label=_("Contacts"), help_text=_('One per line: "kind: contact", e.g. "phone: +370 600 00000".')
    )
    identifiers = IdentifiersField(
        label=_("Identity documents"),
        help_text=_(
            'One per line: "type (country): number", e.g. "passport (BY): MP1234567"; the country is optional.'
        ),
    )
    addresses = AddressesField(label=_("Addresses"), help_text=_("One address per line."))
    region = forms.CharField(label=_("Region of residence"), max_length=60, required=False)
    entry_year = forms.IntegerField(
        label=_("Year of entry to the host country"), required=False, validators=[plausible_year]
    )
    languages = CodesField(label=_("Languages"), help_text=_("Language codes separated by commas, e.g. be, ru, lt."))
    dependants = forms.IntegerField(label=_("Dependants"), min_value=0, initial=0)
    vulnerabilities = CodesField(label=_("Vulnerability flags"), help_text=_("Separated by commas."))
    religion = forms.CharField(label=_("Religion or belief"), max_length=200, required=False)
    claim_basis = TermChoiceField(vocabulary=codes.CLAIM_BASIS, label=_("Claim basis"), required=False)
    military_service_category = forms.ChoiceField(
        label=_("Military service"), choices=MilitaryServiceType.choices, initial=MilitaryServiceType.UNKNOWN
    )
    military_status = forms.MultipleChoiceField(
        label=_("Military legal status"),
        choices=MILITARY_STATUS_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    objection_declared = forms.BooleanField(label=_("Objection declared"), required=False)
    draft_evader = forms.BooleanField(label=_("Draft evader"), required=False)
    deserter = forms.BooleanField(label=_("Deserter"), required=False)
    biography = forms.CharField(label=_("Biographic notes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    host_country_history = forms.CharField(
        label=_("Entry route and trips to the country of origin"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, user: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_terms(self, person.organisation)
        status = self.fields["military_status"]
        known = {code for code, _label in MILITARY_STATUS_CHOICES}
        # Keep codes stored by other paths (imports) selectable, so an edit does not drop them.
        extra = [code for code in (self.initial.get("military_status") or []) if code not in known]
        status.choices = [*MILITARY_STATUS_CHOICES, *((code, code) for code in extra)]  # type: ignore[attr-defined]
        limit_to_clearance(self, user, person)

    def _country(self, name: str) -> str:
        value = (self.cleaned_data.get(name) or "").strip().upper()
        if value and not COUNTRY.match(value):
            raise ValidationError(_("Use a two-letter country code such as BY, RU, UA or LT."))
        return value

    def clean_citizenship(self) -> str:
        return self._country("citizenship")

    def clean_country_of_origin(self) -> str:
        return self._country("country_of_origin")

    def clean_other_citizenships(self) -> list[str]:
        values = self.cleaned_data.get("other_citizenships") or []
        if any(not COUNTRY.match(value) for value in values):
            raise ValidationError(_("Use two-letter country codes such as RU, UA, separated by commas."))
        return values


class PersonAddForm(PersonForm):
    """A new person and their part in the case."""

    role = forms.ChoiceField(label=_("Part in the case"), choices=PartyRole.choices, initial=PartyRole.CLIENT)

    field_order = ["role"]


def person_initial(person: Person, form_class: type[PersonForm], visible: list[str]) -> dict[str, Any]:
    """Initial values for the fields the user may see (never read the others)."""
    initial: dict[str, Any] = {}
    for name in form_class.base_fields:
        if name not in visible:
            continue
        if name == "claim_basis":
            initial[name] = person.claim_basis.code if person.claim_basis else ""
        else:
            initial[name] = getattr(person, name)
    return initial
