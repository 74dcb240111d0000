"""The person page: identity within the viewer's clearance, service, relatives, consent, cases, statuses, documents."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from asylon.accounts.clearance import Redacted, redacted
from asylon.cases.statuses import STATUS_VALUES, StatusKind
from asylon.common.form_pages import found_or_404
from asylon.people.forms.fields import (
    format_address,
    format_contact,
    format_identifier,
    format_items,
    format_name_variant,
)
from asylon.people.forms.person import MILITARY_STATUS_CHOICES
from asylon.people.models import ConsentPurpose, MilitaryServiceType, Person, RelationshipKind, Sex
from asylon.people.selectors import (
    cases_of_persons,
    consents_display,
    documents_of_person_display,
    person_get,
    relationships_display,
    service_periods_display,
    status_periods_display,
)
from asylon.people.selectors_duplicates import duplicates_of_person, person_successor
from asylon.people.views.links import person_url
from asylon.vocab.selectors import term_label_by_id

LISTS = {
    "name_variants": format_name_variant,
    "contacts": format_contact,
    "identifiers": format_identifier,
    "addresses": format_address,
}


IDENTITY = (
    "name_variants",
    "birth_date",
    "birth_year",
    "sex",
    "citizenship",
    "other_citizenships",
    "country_of_origin",
    "languages",
    "contacts",
    "identifiers",
    "addresses",
    "region",
    "entry_year",
    "dependants",
    "vulnerabilities",
    "religion",
    "biography",
    "host_country_history",
)
MILITARY = (
    "claim_basis",
    "military_service_category",
    "military_status",
    "objection_declared",
    "draft_evader",
    "deserter",
)
TEXT_BLOCKS = frozenset({"biography", "host_country_history"})


def _value(view: Redacted, name: str) -> Any:
    """A field's value ready to show: text, a list of lines, or a yes/no."""
    value = view[name]
    if name in LISTS:
        return format_items(value, LISTS[name])
    if name == "claim_basis":
        return term_label_by_id(value)
    if name == "military_status":
        labels = dict(MILITARY_STATUS_CHOICES)
        return [labels.get(code, code) for code in value or []]
    if name in ("other_citizenships", "languages", "vulnerabilities"):
        return ", ".join(str(item) for item in value or [])
    if name in ("sex", "military_service_category"):
        return dict(MilitaryServiceType.choices if name == "military_service_category" else Sex.choices).get(
            value, value
        )
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value


def _rows(view: Redacted, names: tuple[str, ...]) -> list[dict[str, Any]]:
    """One row per field: its label, and its value or `withheld` when the viewer's clearance does not reach it."""
    rows = []
    for name in names:
        withheld = name in view.hidden
        rows.append(
            {
                "name": name,
                "label": Person._meta.get_field(name).verbose_name,  # type: ignore[union-attr]
                "withheld": withheld,
                "value": None if withheld else _value(view, name),
                "is_list": name in LISTS or name == "military_status",
                "block": name in TEXT_BLOCKS,
            }
        )
    return rows


def _statuses(periods: list[Redacted], cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    kinds = dict(StatusKind.choices)
    references = {item["case"].pk: item["case"].reference for item in cases}
    return [
        {
            "period": period,
            "case_reference": references.get(period.case, ""),
            "kind": kinds.get(period.kind, period.kind),
            "label": STATUS_VALUES.get(period.kind, {}).get(period.status, period.status),
        }
        for period in periods
    ]


def _service(periods: list[Redacted]) -> list[dict[str, Any]]:
    types = dict(MilitaryServiceType.choices)
    return [{"period": period, "type": types.get(period.service_type, period.service_type)} for period in periods]


def _labelled(items: list[dict[str, Any]], key: str, field: str, choices: Any) -> list[dict[str, Any]]:
    labels = dict(choices)
    return [{**item, "label": labels.get(item[key][field], item[key][field])} for item in items]


@login_required
@require_GET
def person_detail(request: HttpRequest, person_id: str) -> HttpResponse:
    """One person as the user's clearance allows."""
    try:
        person = person_get(user=request.user, person_id=person_id)
    except Person.DoesNotExist:
        # A merged person's old id leads to the record that stayed, if the user may see it.
        successor = found_or_404(person_successor, user=request.user, person_id=person_id)
        return redirect(person_url(successor.pk))
    user = request.user
    view = redacted(user, person)
    cases = cases_of_persons(user=user, persons=[person])[person.pk]
    context = {
        "person": view,
        "name_withheld": "given_name" in view.hidden,
        "identity": _rows(view, IDENTITY),
        "military": _rows(view, MILITARY),
        "service_periods": _service(service_periods_display(user=user, person=person)),
        "relationships": _labelled(
            relationships_display(user=user, person=person), "relationship", "kind", RelationshipKind.choices
        ),
        "consents": _labelled(consents_display(user=user, person=person), "consent", "purpose", ConsentPurpose.choices),
        "cases": cases,
        "statuses": _statuses(status_periods_display(user=user, person=person), cases),
        "documents": documents_of_person_display(user=user, person=person),
        "can_change": user.has_perm("people.change_person", person),
        "duplicates": (
            duplicates_of_person(user=user, person=person) if user.has_perm("people.merge_person", person) else []
        ),
        "may_export_subject_access": user.has_perm("people.export_subject_access", person),
        "may_erase": user.has_perm("people.erase_person", person),
    }
    return render(request, "people/person_detail.html", context)


urlpatterns = [
    path("<uuid:person_id>/", person_detail, name="person_detail"),
]
