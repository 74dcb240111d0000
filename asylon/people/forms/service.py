"""A period of military or security service. Unit, rank and role are restricted: only shown to who may read them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from asylon.people.forms.fields import limit_to_clearance
from asylon.people.models import MilitaryServicePeriod, MilitaryServiceType

SERVICE_TYPES = [(value, label) for value, label in MilitaryServiceType.choices if value != MilitaryServiceType.NONE]


class ServicePeriodForm(forms.Form):
    service_type = forms.ChoiceField(label=_("Type of service"), choices=SERVICE_TYPES)
    start_year = forms.IntegerField(label=_("From (year)"), required=False)
    end_year = forms.IntegerField(label=_("To (year)"), required=False, help_text=_("Leave empty while it goes on."))
    unit = forms.CharField(label=_("Unit"), max_length=300, required=False)
    rank = forms.CharField(label=_("Rank"), max_length=100, required=False)
    role = forms.CharField(label=_("Role"), max_length=200, required=False)
    combat_exposure = forms.NullBooleanField(label=_("Combat exposure"), required=False)

    def __init__(self, *args: Any, user: Any, period: MilitaryServicePeriod, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_to_clearance(self, user, period)
