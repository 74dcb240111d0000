"""Tasks and hand-entered deadlines; field names equal the service arguments."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from asylon.accounts.models import User
from asylon.cases.forms.case import DATE_INPUT
from asylon.cases.models import Case, DeadlineStatus
from asylon.cases.selectors_work import assignable_users
from asylon.cases.services.work import DEADLINE_KINDS


class AssigneeField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name or obj.email


class TaskForm(forms.Form):
    title = forms.CharField(label=_("What has to be done"), max_length=300)
    assignee = AssigneeField(
        label=_("Assigned to"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody yet"),
        help_text=_("Members of the case and the organisation's admins."),
    )
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DATE_INPUT)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignable_users(case)  # type: ignore[attr-defined]


class DeadlineForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=list(DEADLINE_KINDS.items()))
    title = forms.CharField(
        label=_("What is due"), max_length=300, required=False, help_text=_("Required when the kind is “other”.")
    )
    due_on = forms.DateField(label=_("Due on"), widget=DATE_INPUT)


class DeadlineStatusForm(forms.Form):
    status = forms.ChoiceField(choices=DeadlineStatus.choices)
