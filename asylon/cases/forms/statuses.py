"""Recording a dated status of a person in a case: residence, procedure, liberty or identity document."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from asylon.accounts.clearance import redacted
from asylon.cases.forms.case import DATE_INPUT
from asylon.cases.models import Case
from asylon.cases.statuses import STATUS_VALUES, StatusKind
from asylon.people.models import Person
from asylon.people.selectors import parties_of_case


def status_choices(kind: str = "") -> list[Any]:
    """The statuses of one kind, or of every kind grouped by kind (an optgroup each)."""
    if kind in STATUS_VALUES:
        return [("", "—"), *STATUS_VALUES[kind].items()]
    return [("", "—"), *((label, list(STATUS_VALUES[value].items())) for value, label in StatusKind.choices)]


class PartyChoiceField(forms.ModelChoiceField):
    """A person party to the case, named as far as the viewer's clearance reaches."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.viewer: Any = None
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Person) -> str:
        shown = redacted(self.viewer, obj)
        name = " ".join(str(part) for part in (shown.family_name, shown.given_name) if part)
        return name or str(_("Person without a recorded name"))


class StatusPeriodForm(forms.Form):
    person = PartyChoiceField(label=_("Person"), queryset=Person.objects.none(), empty_label=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=StatusKind.choices)
    status = forms.ChoiceField(
        label=_("Status"), choices=status_choices, help_text=_("Choose a status of the kind chosen above.")
    )
    started_on = forms.DateField(label=_("From"), widget=DATE_INPUT)
    ended_on = forms.DateField(
        label=_("Until"), required=False, widget=DATE_INPUT, help_text=_("Leave empty while the status lasts.")
    )
    current = forms.BooleanField(
        label=_("Current status"),
        required=False,
        initial=True,
        help_text=_("A new current status ends the person's previous current status of the same kind."),
    )

    def __init__(self, *args: Any, case: Case, viewer: Any, refresh_url: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.initial.get("kind", "")
        if not self.is_bound and kind in STATUS_VALUES:
            self.fields["status"].choices = status_choices(kind)  # type: ignore[attr-defined]
        if refresh_url:
            # With htmx, choosing a kind fetches the form for that kind and swaps in its status list;
            # without JavaScript every status is offered, grouped by kind, and the service checks the pair.
            self.fields["kind"].widget.attrs.update(
                {
                    "hx-get": refresh_url,
                    "hx-trigger": "change",
                    "hx-target": "#id_status",
                    "hx-select": "#id_status",
                    "hx-swap": "outerHTML",
                }
            )
        person = cast(PartyChoiceField, self.fields["person"])
        person.viewer = viewer
        person.queryset = parties_of_case(user=viewer, case=case)
