"""The case list's filters: a GET form whose bad values are form errors, never a crash."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from asylon.cases.models import CaseStatus
from asylon.common.validators import country_code
from asylon.vocab import codes
from asylon.vocab.forms import TermChoiceField, offer_terms

EMPTY: list[tuple[str, Any]] = [("", "—")]


class DeadlineWindow:
    OVERDUE = "overdue"
    WEEK = "7"
    MONTH = "30"
    choices = [(OVERDUE, _("overdue")), (WEEK, _("due within 7 days")), (MONTH, _("due within 30 days"))]


class Sort:
    OPENED = "-opened"
    REFERENCE = "reference"
    RISK = "-risk"
    DEADLINE = "deadline"
    choices = [
        (OPENED, _("newest first")),
        (REFERENCE, _("reference")),
        (RISK, _("highest risk first")),
        (DEADLINE, _("next deadline first")),
    ]


class CaseFilterForm(forms.Form):
    """Filters, search and sorting of the case list; every field is optional."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("A case reference, or a person's name in any script or spelling."),
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=EMPTY + CaseStatus.choices)
    event_type = TermChoiceField(label=_("Event type"), vocabulary=codes.EVENT_TYPE, required=False)
    decision_type = TermChoiceField(label=_("Decision type"), vocabulary=codes.DECISION_TYPE, required=False)
    grounds = TermChoiceField(label=_("Grounds cited"), vocabulary=codes.GROUNDS, required=False)
    country = forms.CharField(
        label=_("Country of an event"),
        required=False,
        max_length=2,
        help_text=_("Two letters, for example BY."),
    )
    assignee = forms.ChoiceField(label=_("Lead"), required=False)
    deadline = forms.ChoiceField(label=_("Open deadline"), required=False, choices=EMPTY + DeadlineWindow.choices)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=Sort.choices)

    def __init__(self, *args: Any, organisation: Any, colleagues: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_terms(self, organisation)
        self.fields["assignee"].choices = EMPTY + [  # type: ignore[attr-defined]
            (str(user.pk), user.display_name or user.email) for user in colleagues
        ]

    def clean_country(self) -> str:
        country = str(self.cleaned_data.get("country") or "").strip().upper()
        if country:
            country_code(country)
        return country

    def clean_q(self) -> str:
        return " ".join(str(self.cleaned_data.get("q") or "").split())

    def filters(self) -> dict[str, Any]:
        """The valid, non-empty values (a bad field is left out so the rest still filters)."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in ("", None)}
