"""Uploading a document to a case and recording a public source."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from asylon.accounts.clearance import Redacted
from asylon.cases.models import Event
from asylon.evidence.models import Reliability
from asylon.evidence.sniffing import accepted_extensions
from asylon.people.models import Person

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _person_label(view: Redacted) -> str:
    return " ".join(str(part) for part in (view.given_name, view.family_name) if part) or str(view.pk)[:8]


def _event_label(event: Event) -> str:
    when = f"{event.year}-{event.month:02d}" if event.month else str(event.year)
    return f"{when} · {event.event_type.label()}"


class DocumentUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG, PNG, WebP or plain text. Metadata such as authors and locations is removed."),
        widget=forms.ClearableFileInput(attrs={"accept": accepted_extensions()}),
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    person: forms.ModelChoiceField[Person] = forms.ModelChoiceField(
        label=_("Person"), queryset=Person.objects.none(), required=False
    )
    event: forms.ModelChoiceField[Event] = forms.ModelChoiceField(
        label=_("Event"), queryset=Event.objects.none(), required=False
    )

    def __init__(self, *args: Any, parties: list[tuple[Person, Redacted]], events: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = {person.pk: _person_label(view) for person, view in parties}
        person_field = self.fields["person"]
        person_field.queryset = Person.objects.filter(pk__in=labels)  # type: ignore[attr-defined]
        person_field.label_from_instance = lambda person: labels.get(person.pk, "")  # type: ignore[attr-defined]
        event_field = self.fields["event"]
        event_field.queryset = events  # type: ignore[attr-defined]
        event_field.label_from_instance = _event_label  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.ASYLON_MAX_DOCUMENT_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than the limit of %(limit)s MB."), params={"limit": round(limit / 1_048_576, 1)}
            )
        return upload


class SourceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=400)
    publisher = forms.CharField(label=_("Publisher"), max_length=200, required=False)
    url = forms.URLField(label=_("Address (URL)"), max_length=500, required=False, assume_scheme="https")
    published_on = forms.DateField(label=_("Published on"), required=False, widget=DATE_INPUT)
    accessed_on = forms.DateField(label=_("Accessed on"), required=False, widget=DATE_INPUT)
    reliability = forms.ChoiceField(label=_("Reliability"), choices=Reliability.choices, initial=Reliability.UNKNOWN)
    citation = forms.CharField(label=_("Citation"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    event: forms.ModelChoiceField[Event] = forms.ModelChoiceField(
        label=_("Cited by event"),
        queryset=Event.objects.none(),
        required=False,
        help_text=_("The case page lists the sources its events cite."),
    )

    def __init__(self, *args: Any, events: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        event_field = self.fields["event"]
        event_field.queryset = events  # type: ignore[attr-defined]
        event_field.label_from_instance = _event_label  # type: ignore[attr-defined]
