"""Forms of the GDPR duties on the person page: the subject access export and erasure."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from asylon.ops.exports.age import MIN_PASSPHRASE_LENGTH
from asylon.ops.forms.exports import PASSPHRASE, RECIPIENTS
from asylon.people.services_erasure import ErasureReason
from asylon.people.services_subject_access import ReadableFormat


class SubjectAccessForm(forms.Form):
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
    method = forms.ChoiceField(
        label=_("Encrypt the file"),
        choices=[(PASSPHRASE, _("with a passphrase")), (RECIPIENTS, _("to public keys (age or SSH)"))],
        initial=PASSPHRASE,
        widget=forms.RadioSelect,
    )
    passphrase = forms.CharField(
        label=_("Passphrase"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least %(count)s characters. Use several random words, and give the passphrase to the "
            "person by another channel than the file."
        )
        % {"count": MIN_PASSPHRASE_LENGTH},
    )
    passphrase_again = forms.CharField(
        label=_("Passphrase again"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    recipients = forms.CharField(
        label=_("Public keys"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "autocomplete": "off"}),
        help_text=_("One per line: age keys (age1…) or SSH keys (ssh-ed25519 … or ssh-rsa …)."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("method") == PASSPHRASE:
            if not data.get("passphrase"):
                self.add_error("passphrase", _("Enter a passphrase."))
            elif data.get("passphrase") != data.get("passphrase_again"):
                self.add_error("passphrase_again", _("The two passphrases differ."))
        elif data.get("method") == RECIPIENTS and not data.get("recipients", "").strip():
            self.add_error("recipients", _("Give at least one public key."))
        return data

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned data as `subject_access_export` takes it (only the chosen method's secret)."""
        data = self.cleaned_data
        chosen = data["method"]
        return {
            "fmt": data["fmt"],
            "include_files": data["include_files"],
            **{name: (data.get(name) or "") if name == chosen else "" for name in (PASSPHRASE, RECIPIENTS)},
        }


class ErasureForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why are the records erased?"), choices=ErasureReason.choices)
    confirm = forms.BooleanField(
        label=_("I understand that the erasure cannot be undone."),
        error_messages={"required": _("Tick the box to confirm that the erasure cannot be undone.")},
    )
