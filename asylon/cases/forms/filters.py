"""The case list's filters: bad values are form errors, never a crash; the search text is posted, never in a URL."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from asylon.cases.models import CaseStatus
from asylon.common.validators import country_code
from asylon.vocab import codes
from asylon.vocab.forms import TermChoiceField

EMPTY: list[tuple[str, Any]] = [("", "—")]


class QuickSelect(forms.Select):
    """A <select> rendered in Python: the same markup as Django's, without a template per option
    (the filter form offers a hundred vocabulary terms and is on every full page of the list)."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], " selected" if option["selected"] else "", option["label"])
                for _group, choices, _index in widget["optgroups"]
                for option in choices
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(widget["attrs"]), options)


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
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=EMPTY + CaseStatus.choices, widget=QuickSelect
    )
    event_type = TermChoiceField(label=_("Event type"), vocabulary=codes.EVENT_TYPE, required=False, widget=QuickSelect)
    decision_type = TermChoiceField(
        label=_("Decision type"), vocabulary=codes.DECISION_TYPE, required=False, widget=QuickSelect
    )
    grounds = TermChoiceField(label=_("Grounds cited"), vocabulary=codes.GROUNDS, required=False, widget=QuickSelect)
    country = forms.CharField(
        label=_("Country of an event"),
        required=False,
        max_length=2,
        help_text=_("Two letters, for example BY."),
    )
    assignee = forms.ChoiceField(label=_("Lead"), required=False, widget=QuickSelect)
    deadline = forms.ChoiceField(
        label=_("Open deadline"), required=False, choices=EMPTY + DeadlineWindow.choices, widget=QuickSelect
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=Sort.choices, widget=QuickSelect)

    def __init__(self, *args: Any, organisation: Any, colleagues: Any, shown: bool = True, **kwargs: Any) -> None:
        """`shown=False` when only the results are rendered (htmx): a vocabulary field is then filled
        only if a value was sent, to check it, which saves reading every vocabulary per request."""
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, TermChoiceField) and (shown or self.data.get(name)):
                field.offer(organisation)
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
