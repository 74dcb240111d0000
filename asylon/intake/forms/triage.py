"""Staff forms of the triage queue: reply, discard with a reason, and convert into a person and a case."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from asylon.cases.forms.case import DATE_INPUT
from asylon.cases.models import Risk
from asylon.common.validators import plausible_year
from asylon.intake.models import IntakeFile, IntakeSubmission, Urgency
from asylon.intake.services.conversion import NAME_FIELD_MAX, contacts_from, split_name
from asylon.intake.situations import situation_choices
from asylon.people.forms.fields import ContactsField
from asylon.vocab import codes
from asylon.vocab.forms import TermChoiceField, offer_terms

REPLY_MAX = 20_000
REASON_MAX = 2_000


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Reply"),
        max_length=REPLY_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The person reads it on the status page with their codename. Do not name anyone."),
    )


class DiscardForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required. What was sent is erased; the reason is kept (encrypted) for the record."),
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why this submission is discarded."), code="required")
        return str(reason)


class IntakeFileChoiceField(forms.ModelMultipleChoiceField):
    """The submission's files by name and size (the name decrypted only for the staff who may read it)."""

    def label_from_instance(self, obj: IntakeFile) -> str:
        return f"{obj.filename} ({obj.content_type}, {obj.size} B)"


RISK_FOR_URGENCY = {
    Urgency.DETENTION: Risk.CRITICAL,
    Urgency.DEADLINE_SOON: Risk.HIGH,
    Urgency.DEADLINE: Risk.MEDIUM,
    Urgency.NONE: Risk.MEDIUM,
}


class ConversionForm(forms.Form):
    """Field names are `submission_convert`'s arguments; the view prefills them from the payload."""

    given_name = forms.CharField(label=_("Given name"), max_length=NAME_FIELD_MAX, required=False)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=NAME_FIELD_MAX, required=False)
    family_name = forms.CharField(label=_("Family name"), max_length=NAME_FIELD_MAX, required=False)
    contacts = ContactsField(
        label=_("Contacts"), help_text=_('One per line: "kind: contact", e.g. "phone: +370 600 00000".')
    )
    risk = forms.ChoiceField(label=_("Risk"), choices=Risk.choices)
    summary = forms.CharField(label=_("Case summary"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    situations = forms.MultipleChoiceField(
        label=_("Situations (each becomes an event of the case)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    situations_year = forms.IntegerField(
        label=_("Year of these events"),
        required=False,
        validators=[plausible_year],
        help_text=_("Recorded with year precision; correct the dates on the case page when you know them."),
    )
    decision_type = TermChoiceField(label=_("Decision type"), vocabulary=codes.DECISION_TYPE, required=False)
    decision_maker = TermChoiceField(label=_("Decision maker"), vocabulary=codes.DECISION_MAKER, required=False)
    served_on = forms.DateField(
        label=_("Decision served on"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("The day the person received the decision. Appeal deadlines are computed from it."),
    )
    decided_on = forms.DateField(label=_("Decision taken on"), required=False, widget=DATE_INPUT)
    stated_deadline_on = forms.DateField(
        label=_("Deadline the person gave"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Kept on the case as a deadline entered by hand. Leave empty to drop it."),
    )
    keep_files = IntakeFileChoiceField(
        label=_("Files to keep as case documents"),
        queryset=IntakeFile.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, submission: IntakeSubmission, files: list[IntakeFile], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_terms(self, submission.organisation)
        situations: Any = self.fields["situations"]
        # Labelled in the staff member's language, not the form's: they read this page.
        situations.choices = situation_choices(translation.get_language() or "en", submission.organisation)
        files_field: Any = self.fields["keep_files"]
        files_field.queryset = IntakeFile.objects.filter(pk__in=[file.pk for file in files]).order_by("created_at")

    def clean_keep_files(self) -> list[IntakeFile]:
        return list(self.cleaned_data.get("keep_files") or [])


def conversion_initial(
    *, submission: IntakeSubmission, payload: dict[str, Any], files: list[IntakeFile]
) -> dict[str, Any]:
    """What the conversion form starts from: the payload split into the person's and the case's fields."""
    deadline = date_or_none(payload.get("deadline_on"))
    received = timezone.localtime(submission.created_at).date() if submission.created_at else timezone.localdate()
    return {
        **split_name(str(payload.get("name") or "")),
        "contacts": contacts_from(str(payload.get("contact") or "")),
        "risk": RISK_FOR_URGENCY.get(Urgency(submission.urgency), Risk.MEDIUM),
        "summary": str(payload.get("text") or ""),
        "situations": [str(code) for code in payload.get("situations") or []],
        "situations_year": received.year,
        "decision_maker": "migration_department",
        "stated_deadline_on": deadline,
        "keep_files": [file.pk for file in files],
    }


def date_or_none(value: Any) -> datetime.date | None:
    """A payload's ISO date as a date (None when absent or unreadable)."""
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None
