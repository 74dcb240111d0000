"""The export form: organisation, format, scope (all visible cases or one, opened within dates), and
how the file is encrypted (a passphrase entered twice, or recipients' public keys)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from asylon.accounts.models import Organisation
from asylon.ops.exports.age import MIN_PASSPHRASE_LENGTH
from asylon.ops.exports.formats import FORMATS, formats_allowed

# The two ways of encrypting (choice values, not secrets).
PASSPHRASE = "passphrase"  # noqa: S105  # nosec B105
RECIPIENTS = "recipients"


class EncryptionForm(forms.Form):
    """How an exported file is encrypted: a passphrase entered twice, or recipients' public keys.

    The export form and the subject access form build on it; each says to whom the passphrase goes.
    """

    # To whom the passphrase goes differs by page: a subclass gives its own sentence (its own msgid).
    # Lazy, and filled in per form: formatted here, it would be frozen in the language of the import.
    passphrase_help_text: Any = _(
        "At least %(count)s characters. Use several random words, and give the passphrase to the "
        "recipient by another channel than the file."
    )

    method = forms.ChoiceField(
        label=_("Encrypt the file"),
        choices=[
            (PASSPHRASE, _("with a passphrase")),
            (RECIPIENTS, _("to public keys (age or SSH)")),
        ],
        initial=PASSPHRASE,
        widget=forms.RadioSelect,
    )
    passphrase = forms.CharField(
        label=_("Passphrase"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
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
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "autocomplete": "off"}),
        help_text=_("One per line: age keys (age1…) or SSH keys (ssh-ed25519 … or ssh-rsa …)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["passphrase"].help_text = self.passphrase_help_text % {"count": MIN_PASSPHRASE_LENGTH}

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

    def encryption_arguments(self) -> dict[str, str]:
        """The passphrase and recipients as the export services take them: only the chosen method's secret.

        A passphrase typed before switching to keys is dropped.
        """
        chosen = self.cleaned_data["method"]
        return {
            name: (self.cleaned_data.get(name) or "") if name == chosen else "" for name in (PASSPHRASE, RECIPIENTS)
        }


class ExportForm(EncryptionForm):
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    export_format = forms.ChoiceField(label=_("Format"), widget=forms.RadioSelect)
    case = forms.UUIDField(required=False, widget=forms.HiddenInput)
    opened_from = forms.DateField(
        label=_("Cases opened from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    opened_until = forms.DateField(
        label=_("Cases opened until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, user: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation_field = self.fields["organisation"]
        organisation_field.queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            pk__in=[org.pk for org in organisations]
        ).order_by("name")
        if len(organisations) == 1:
            organisation_field.initial = organisations[0]
            organisation_field.widget = forms.HiddenInput()
        # Offered: the formats allowed in at least one of the organisations (the service checks the chosen one).
        allowed = {item.code for org in organisations for item in formats_allowed(user, org)}
        format_field = self.fields["export_format"]
        format_field.choices = [(code, item.label) for code, item in FORMATS.items() if code in allowed]  # type: ignore[attr-defined]
        if format_field.choices:  # type: ignore[attr-defined]
            format_field.initial = format_field.choices[0][0]  # type: ignore[attr-defined]

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned data as `export_create` takes it."""
        data = self.cleaned_data
        return {
            "organisation": data["organisation"],
            "export_format": data["export_format"],
            "case": data.get("case"),
            "opened_from": data.get("opened_from"),
            "opened_until": data.get("opened_until"),
            **self.encryption_arguments(),
        }
