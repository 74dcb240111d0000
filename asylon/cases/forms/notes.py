"""Writing and correcting a case note; only lawyers are offered the privileged box."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


def _body_field() -> forms.CharField:
    return forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 6}))


class NoteForm(forms.Form):
    """A new note; field names are note_add's arguments."""

    body = _body_field()
    privileged = forms.BooleanField(
        label=_("Privileged: lawyer-client communication, readable by the case's lawyers only"), required=False
    )

    def __init__(self, *args: Any, may_privilege: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_privilege:
            del self.fields["privileged"]

    def clean_body(self) -> str:
        return str(self.cleaned_data["body"]).replace("\r\n", "\n")


class NoteEditForm(forms.Form):
    """A correction of one's own note; whether it is privileged does not change."""

    body = _body_field()

    def clean_body(self) -> str:
        return str(self.cleaned_data["body"]).replace("\r\n", "\n")
