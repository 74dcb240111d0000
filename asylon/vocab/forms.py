"""Form fields offering vocabulary terms: the value is the term's code, the label is in the user's language."""

from __future__ import annotations

from typing import Any

from django import forms

from asylon.vocab.cache import cached_choices
from asylon.vocab.selectors import terms_of


def term_choices(*, vocabulary: str, organisation: Any) -> list[tuple[str, Any]]:
    """Choices of the active terms the organisation offers, in vocabulary order (cached: vocab/cache.py).

    A term with children is a heading, not a value (an event is a "summons issued", not "an event
    in the country of origin"): it becomes an option group holding its children.
    """
    return cached_choices(
        vocabulary=vocabulary,
        organisation=organisation,
        build=lambda: _choices_of(list(terms_of(vocabulary=vocabulary, organisation=organisation))),
    )


def _choices_of(offered: list[Any]) -> list[tuple[str, Any]]:
    children: dict[Any, list[tuple[str, str]]] = {}
    for term in offered:
        if term.parent_id is not None:
            children.setdefault(term.parent_id, []).append((term.code, term.label()))
    offered_ids = {term.pk for term in offered}
    choices: list[tuple[str, Any]] = []
    for term in offered:
        if term.pk in children:
            choices.append((term.label(), children[term.pk]))
        elif term.parent_id not in offered_ids:
            choices.append((term.code, term.label()))
    return choices


class TermChoiceField(forms.ChoiceField):
    """One term of a vocabulary; set `vocabulary` and call `offer(organisation)` in the form's __init__."""

    def __init__(self, *, vocabulary: str, **kwargs: Any) -> None:
        self.vocabulary = vocabulary
        super().__init__(**kwargs)

    def offer(self, organisation: Any) -> None:
        choices = term_choices(vocabulary=self.vocabulary, organisation=organisation)
        self.choices = choices if self.required else [("", "—"), *choices]


class TermMultipleChoiceField(forms.MultipleChoiceField):
    """Several terms of a vocabulary (for example the grounds a decision cites)."""

    def __init__(self, *, vocabulary: str, **kwargs: Any) -> None:
        self.vocabulary = vocabulary
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(**kwargs)

    def offer(self, organisation: Any) -> None:
        self.choices = term_choices(vocabulary=self.vocabulary, organisation=organisation)


def offer_terms(form: forms.BaseForm, organisation: Any) -> None:
    """Fill every vocabulary field of a form with the organisation's terms."""
    for field in form.fields.values():
        if isinstance(field, TermChoiceField | TermMultipleChoiceField):
            field.offer(organisation)
