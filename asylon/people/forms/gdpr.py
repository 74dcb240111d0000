"""Forms of the GDPR duties on the person page: the subject access export and erasure."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from asylon.ops.forms.exports import EncryptionForm
from asylon.people.services_erasure import ErasureReason
from asylon.people.services_subject_access import ReadableFormat


class SubjectAccessForm(EncryptionForm):
    passphrase_help_text = _(
        "At least %(count)s characters. Use several random words, and give the passphrase to the "
        "person by another channel than the file."
    )

    fmt = forms.ChoiceField(
        label=_("Readable file"),
        choices=ReadableFormat.choices,
        initial=ReadableFormat.PDF,
        widget=forms.RadioSelect,
        help_text=_("A JSON file with the same data, machine-readable, is always included."),
    )
    include_files = forms.BooleanField(
        label=_("Include copies of the person's document files"),
        required=False,
        help_text=_("Each file included is recorded in that document's chain of custody."),
    )

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned data as `subject_access_export` takes it (only the chosen method's secret)."""
        data = self.cleaned_data
        return {"fmt": data["fmt"], "include_files": data["include_files"], **self.encryption_arguments()}


class ErasureForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why are the records erased?"), choices=ErasureReason.choices)
    confirm = forms.BooleanField(
        label=_("I understand that the erasure cannot be undone."),
        error_messages={"required": _("Tick the box to confirm that the erasure cannot be undone.")},
    )
