"""The public help form, the status page's codename form and its "send more" form.

Plain HTML forms that work without JavaScript. Text is taken exactly as typed (no stripping), so what the
organisation reads is what the person wrote; the service decides what is required and how long it may be,
and names its errors by these fields. A honeypot field, hidden from people, catches form-filling robots.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from asylon.evidence.sniffing import accepted_extensions
from asylon.intake.files import MAX_FILES
from asylon.intake.services.submissions import CONTACT_MAX, NAME_MAX, TEXT_MAX

HONEYPOT = "website"
ALTCHA = "altcha"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the service like a case document."""

    widget = MultipleFileInput

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {**super().widget_attrs(widget), "accept": accepted_extensions()}

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = [item for item in (data if isinstance(data, (list, tuple)) else [data]) if item]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                _("Send at most %(count)s files at a time.") % {"count": MAX_FILES}, code="too_many"
            )
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class HoneypotMixin(forms.Form):
    # Hidden from people by the stylesheet and from assistive technology; robots fill every field.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_robot(self) -> bool:
        return bool(self.data.get(HONEYPOT))


class HelpForm(HoneypotMixin):
    name = forms.CharField(
        label=_("Your name or a pseudonym"),
        max_length=NAME_MAX,
        strip=False,
        help_text=_("Any name we may call you by. It does not have to be your real name."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    contact = forms.CharField(
        label=_("How can we reach you?"),
        max_length=CONTACT_MAX,
        strip=False,
        required=False,
        help_text=_(
            "A way of your choice: Signal, Telegram, e-mail, a phone number, or nothing. Without it, come back "
            "to the status page with your codename to read our reply."
        ),
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
    )
    situations = forms.MultipleChoiceField(
        label=_("What is happening to you?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose all that apply."),
    )
    deadline_on = forms.DateField(
        label=_("Deadline, if you know one"),
        required=False,
        help_text=_("For example the last day to appeal or to report somewhere, as year-month-day."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )
    text = forms.CharField(
        label=_("Tell us about your situation"),
        max_length=TEXT_MAX,
        strip=False,
        required=False,
        help_text=_("Only what you are comfortable sharing. You can add more later with your codename."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    # Named as the service's argument (its errors name it); the metaclass moves it off BaseForm.files.
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Documents (optional)"),
        required=False,
        help_text=_("Up to %(count)s files: PDF, photos (JPEG, PNG, WebP) or plain text, each at most %(size)s MB."),
    )

    def __init__(self, *args: Any, situation_choices: list[tuple[str, str]], max_file_mb: float, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["situations"].choices = situation_choices  # type: ignore[attr-defined]
        self.fields["files"].help_text = self.fields["files"].help_text % {"count": MAX_FILES, "size": max_file_mb}


class CodenameForm(forms.Form):
    codename = forms.CharField(
        label=_("Your codename"),
        max_length=300,
        help_text=_("The words you received when you sent the form, with or without the dashes."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
    )


class MessageForm(HoneypotMixin):
    """More from the person, posted with their codename (a hidden field: it never travels in a URL or cookie)."""

    codename = forms.CharField(max_length=300, widget=forms.HiddenInput)
    body = forms.CharField(
        label=_("Your message"),
        max_length=TEXT_MAX,
        strip=False,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    files = MultipleFileField(label=_("Documents (optional)"), required=False)  # type: ignore[assignment]
