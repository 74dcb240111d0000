"""Giving a colleague of the organisation access to a case."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from asylon.accounts.models import User
from asylon.accounts.permissions import CASE_READERS
from asylon.accounts.selectors import colleagues_of
from asylon.cases.models import Case


class ColleagueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.email


class MemberAddForm(forms.Form):
    """The field name is case_member_add's argument."""

    user = ColleagueChoiceField(label=_("Colleague"), queryset=User.objects.none(), empty_label="—")

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Analysts work on de-identified aggregates: case membership would give them nothing to read.
        user_field: Any = self.fields["user"]
        user_field.queryset = (
            colleagues_of(case.organisation)
            .filter(memberships__organisation=case.organisation, memberships__role__in=CASE_READERS)
            .exclude(case_memberships__case=case)
        )
