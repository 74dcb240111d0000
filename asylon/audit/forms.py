"""The auditor's filter form for the audit log."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from asylon.audit.selectors import EntryFilter


class EntryFilterForm(forms.Form):
    action = forms.CharField(label=_("Action"), required=False, max_length=64, help_text=_("e.g. read, login, case."))
    actor = forms.CharField(label=_("Actor"), required=False, max_length=254, help_text=_("Email address or user id"))
    target_type = forms.CharField(
        label=_("Record type"), required=False, max_length=64, help_text=_("e.g. people.person")
    )
    target_id = forms.CharField(label=_("Record id"), required=False, max_length=64)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def entry_filter(self) -> EntryFilter:
        data = self.cleaned_data if self.is_valid() else {}
        return EntryFilter(
            action=(data.get("action") or "").strip(),
            actor=(data.get("actor") or "").strip(),
            target_type=(data.get("target_type") or "").strip().lower(),
            target_id=(data.get("target_id") or "").strip(),
            since=data.get("since"),
            until=data.get("until"),
        )
