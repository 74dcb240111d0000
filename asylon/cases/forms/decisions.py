"""Recording and changing a decision: type, maker, outcome, grounds, dates, number and its event."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from asylon.accounts.clearance import redacted
from asylon.cases.forms.case import DATE_INPUT
from asylon.cases.models import Case, Decision, Event
from asylon.cases.selectors import events_of_case
from asylon.vocab import codes
from asylon.vocab.forms import TermChoiceField, TermMultipleChoiceField, offer_terms


class EventChoiceField(forms.ModelChoiceField):
    """The case's events by type and the year (and month) they happened, which every editor may see."""

    def label_from_instance(self, obj: Event) -> str:
        when = f"{obj.year}-{obj.month:02d}" if obj.month else str(obj.year)
        return f"{obj.event_type.label()} ({when})"


class DecisionForm(forms.Form):
    """One form for adding and editing; field names are decision_record's and decision_update's arguments."""

    decision_type = TermChoiceField(label=_("Decision type"), vocabulary=codes.DECISION_TYPE)
    decision_maker = TermChoiceField(label=_("Decision maker"), vocabulary=codes.DECISION_MAKER)
    outcome = TermChoiceField(label=_("Outcome"), vocabulary=codes.DECISION_OUTCOME, required=False)
    grounds = TermMultipleChoiceField(label=_("Grounds cited"), vocabulary=codes.GROUNDS, required=False)
    decided_on = forms.DateField(label=_("Decided on"), required=False, widget=DATE_INPUT)
    served_on = forms.DateField(
        label=_("Served on"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("The day the person received the decision. Appeal deadlines are computed from it."),
    )
    reference_number = forms.CharField(label=_("Decision number"), max_length=100, required=False)
    event = EventChoiceField(
        label=_("Event it belongs to"),
        queryset=Event.objects.none(),
        required=False,
        empty_label="—",
        help_text=_("Optional: the event on the timeline this decision records."),
    )

    def __init__(self, *args: Any, case: Case, user: Any, decision: Decision | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_terms(self, case.organisation)
        # An event records at most one decision: offer those still free, and this decision's own.
        free = Q(decision__isnull=True) | Q(decision=decision) if decision else Q(decision__isnull=True)
        event_field: Any = self.fields["event"]
        event_field.queryset = events_of_case(user=user, case=case).filter(free)
        if decision is not None:
            # The service keeps a date it is not given, so a date on record cannot be emptied here.
            for name in ("decided_on", "served_on"):
                if self.initial.get(name):
                    self.fields[name].required = True

    def changed_arguments(self) -> dict[str, Any]:
        """The service arguments the user changed."""
        return {name: value for name, value in self.cleaned_data.items() if name in self.changed_data}


def decision_initial(user: Any, decision: Decision) -> dict[str, Any]:
    """What the edit form starts from; fields above the user's clearance stay empty."""
    view = redacted(user, decision)
    return {
        "decision_type": decision.decision_type.code,
        "decision_maker": decision.decision_maker.code,
        "outcome": decision.outcome.code if decision.outcome else "",
        "grounds": list(decision.grounds.values_list("code", flat=True)),
        "decided_on": view.decided_on or None,
        "served_on": view.served_on or None,
        "reference_number": view.reference_number or "",
        "event": decision.event_id,
    }
