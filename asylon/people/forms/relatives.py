"""A relative of a person: another person on record, or described when they are not."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from asylon.accounts.clearance import redacted
from asylon.people.forms.fields import limit_to_clearance
from asylon.people.models import Person, Relationship, RelationshipKind
from asylon.people.selectors import persons_visible_to

MAX_CANDIDATES = 200


class RelativeChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A person on record, labelled with the name the user may see."""

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        self.user = user
        self.visible: set[Any] = set()
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        if obj.pk not in self.visible:
            return str(_("The relative already named (on a case you cannot open)"))
        view = redacted(self.user, obj)
        name = " ".join(str(view[part]) for part in ("given_name", "patronymic", "family_name") if view[part])
        if view["birth_year"]:
            name = f"{name} ({view['birth_year']})"
        return name.strip() or str(_("Person without a name on record"))


class RelationshipForm(forms.Form):
    kind = forms.ChoiceField(label=_("Relationship"), choices=RelationshipKind.choices)
    relative = RelativeChoiceField(
        label=_("Relative on record"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("Not on record (describe below)"),
        help_text=_("Persons on the same cases as this person."),
    )
    description = forms.CharField(
        label=_("Name and details"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    in_security_structures = forms.BooleanField(label=_("Works in security structures"), required=False)
    under_pressure = forms.BooleanField(label=_("Under pressure in the country of origin"), required=False)

    def __init__(self, *args: Any, user: Any, relationship: Relationship, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        relative = self.fields["relative"]
        first = list(candidates.values_list("pk", flat=True)[:MAX_CANDIDATES])
        relative.queryset = candidates.filter(pk__in=first)  # type: ignore[attr-defined]
        relative.user = user  # type: ignore[attr-defined]
        relative.visible = set(persons_visible_to(user).filter(pk__in=first).values_list("pk", flat=True))  # type: ignore[attr-defined]
        limit_to_clearance(self, user, relationship)
