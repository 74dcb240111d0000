"""The import pages' forms: which organisation, the upload, the column mapping with its options, and the
choice of how to import. Field names match the service arguments (docs/import.md)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from asylon.accounts.models import Organisation
from asylon.ops.imports.mapping import DATE_ORDERS
from asylon.ops.imports.sources import limits
from asylon.ops.imports.targets import IGNORE, TARGETS
from asylon.ops.models import ImportMode

GROUPS = {"person": _("Person"), "case": _("Case"), "event": _("Event")}
DATE_ORDER_LABELS = {
    "day_first": _("Day first: 04/03/2023 is 4 March"),
    "month_first": _("Month first: 04/03/2023 is 3 April"),
}
COLUMN_PREFIX = "column_"


def _organisations_field(field: forms.Field, organisations: list[Organisation]) -> None:
    """Offer the given organisations; hide the choice when there is only one."""
    chosen = cast(forms.ModelChoiceField, field)
    chosen.queryset = Organisation.objects.filter(pk__in=[org.pk for org in organisations]).order_by("name")
    if len(organisations) < 2:
        chosen.widget = forms.HiddenInput()


class ImportOrganisationForm(forms.Form):
    """For members of several organisations: whose imports the page shows (a GET form)."""

    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _organisations_field(self.fields["organisation"], organisations)


class ImportUploadForm(forms.Form):
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), empty_label=None, widget=forms.HiddenInput
    )
    upload = forms.FileField(
        label=_("Spreadsheet"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["organisation"])
        field.queryset = Organisation.objects.filter(pk__in=[org.pk for org in organisations])
        self.fields["upload"].help_text = _(
            "A CSV file (UTF-8 or Windows-1251; comma, semicolon or tab) or an Excel XLSX workbook, "
            "with the column names in the first row; at most %(limit)s MB."
        ) % {"limit": round(limits().upload_bytes / 1_048_576, 1)}



def target_choices() -> list[tuple[Any, Any]]:
    """"Ignore" first, then the targets grouped by the record they fill (person, case, event)."""
    grouped: list[tuple[Any, Any]] = [(IGNORE, _("— ignore this column —"))]
    for group, label in GROUPS.items():
        grouped.append((label, [(key, target.label) for key, target in TARGETS.items() if target.group == group]))
    return grouped


class ImportMappingForm(forms.Form):
    """One target per column header (fields `column_<n>`, labelled with the header), the date order, and
    optionally a name to save the mapping under as a profile."""

    date_order = forms.ChoiceField(
        label=_("Dates written with slashes"),
        choices=[(order, DATE_ORDER_LABELS[order]) for order in DATE_ORDERS],
        initial=DATE_ORDERS[0],
        widget=forms.RadioSelect,
        help_text=_(
            "Only dates such as 04/03/2023 depend on it: 17.08.2023, 2023-08-17, 08/2023, “Aug 2023” and a year "
            "alone are read the same either way."
        ),
    )
    save_profile_as = forms.CharField(
        label=_("Save this mapping as a profile named"),
        max_length=100,
        required=False,
        help_text=_("Optional. A saved profile fills in this page for the next file with the same columns."),
    )

    def __init__(
        self,
        *args: Any,
        headers: list[str],
        samples: list[list[str]],
        mapping: dict[str, str],
        date_order: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.headers = headers
        self.samples = samples
        columns = {
            f"{COLUMN_PREFIX}{index}": forms.ChoiceField(
                label=header,
                choices=target_choices(),
                required=False,
                initial=mapping.get(header, IGNORE),
            )
            for index, header in enumerate(headers)
        }
        # The columns come first on the page, in the file's order.
        self.fields = {**columns, **self.fields}
        if date_order in DATE_ORDERS:
            self.fields["date_order"].initial = date_order

    def columns(self) -> Iterator[tuple[forms.BoundField, list[str]]]:
        """Each column's field with the first values of its column (shown only on this page)."""
        for index in range(len(self.headers)):
            yield self[f"{COLUMN_PREFIX}{index}"], [row[index] for row in self.samples if index < len(row)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # Marked next to each column that repeats a target, rather than once for the whole form.
        first: dict[str, str] = {}
        for index, header in enumerate(self.headers):
            name = f"{COLUMN_PREFIX}{index}"
            target = data.get(name) or IGNORE
            if target == IGNORE:
                continue
            if target in first:
                self.add_error(
                    name,
                    _("“%(target)s” is already filled from the column “%(header)s”; choose one.")
                    % {"target": TARGETS[target].label, "header": first[target]},
                )
            else:
                first[target] = header
        return data

    def mapping(self) -> dict[str, str]:
        """{column header: target key} as chosen."""
        return {
            header: self.cleaned_data.get(f"{COLUMN_PREFIX}{index}") or IGNORE
            for index, header in enumerate(self.headers)
        }

    def options(self) -> dict[str, Any]:
        return {"date_order": self.cleaned_data["date_order"]}


class ImportCommitForm(forms.Form):
    """Which rows to import: all (only when the check found no problem) or only the valid ones."""

    mode = forms.ChoiceField(choices=ImportMode.choices)
