"""Recording proceedings (appeals, complaints, court tiers) and scheduling their hearings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from asylon.cases.forms.case import DATE_INPUT
from asylon.cases.models import Case, Decision, ProceedingTier
from asylon.cases.selectors import decisions_of_case
from asylon.vocab import codes
from asylon.vocab.forms import TermChoiceField, offer_terms

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class DecisionChoiceField(forms.ModelChoiceField):
    """A decision of the case, named by its clear fields only (type, maker, month served)."""

    def label_from_instance(self, obj: Decision) -> str:
        parts = [obj.decision_type.label(), obj.decision_maker.label()]
        if obj.served_year:
            parts.append(f"{obj.served_year}-{obj.served_month:02d}" if obj.served_month else str(obj.served_year))
        return " · ".join(parts)


class ProceedingForm(forms.Form):
    tier = forms.ChoiceField(label=_("Tier"), choices=ProceedingTier.choices)
    court = TermChoiceField(label=_("Court or body"), vocabulary=codes.DECISION_MAKER)
    decision = DecisionChoiceField(
        label=_("Decision challenged"), queryset=Decision.objects.none(), required=False, empty_label="—"
    )
    lodged_on = forms.DateField(label=_("Lodged on"), required=False, widget=DATE_INPUT)
    outcome = TermChoiceField(label=_("Outcome"), vocabulary=codes.DECISION_OUTCOME, required=False)
    decided_year = forms.IntegerField(label=_("Year decided"), required=False, min_value=1900, max_value=2100)
    court_reference = forms.CharField(label=_("Court reference"), max_length=100, required=False)

    def __init__(self, *args: Any, case: Case, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_terms(self, case.organisation)
        self.fields["decision"].queryset = decisions_of_case(user=user, case=case)  # type: ignore[attr-defined]


class HearingForm(forms.Form):
    scheduled_for = forms.DateTimeField(label=_("Date and time"), widget=DATETIME_INPUT)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
