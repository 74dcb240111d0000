"""Cached vocabulary choices: built once per generation, retired when a term or vocabulary changes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from asylon.vocab.forms import term_choices
from asylon.vocab.loading import load_reference_data
from asylon.vocab.models import Term

pytestmark = pytest.mark.django_db


def labels(organisation) -> dict[str, str]:
    flat: dict[str, str] = {}
    for value, label in term_choices(vocabulary="decision_type", organisation=organisation):
        flat.update(dict(label) if isinstance(label, list) else {value: label})
    return flat


def test_choices_are_read_once_then_served_from_the_cache(organisation):
    first = labels(organisation)
    with CaptureQueriesContext(connection) as queries:
        assert labels(organisation) == first
    assert len(queries.captured_queries) == 0


def test_a_changed_term_is_offered_at_once(organisation):
    labels(organisation)
    term = Term.objects.get(vocabulary__code="decision_type", code="expulsion", organisation__isnull=True)
    term.labels = {**term.labels, "en": "Expulsion order (renamed)"}
    term.save()
    assert labels(organisation)["expulsion"] == "Expulsion order (renamed)"


def test_each_language_and_organisation_has_its_own_list(organisation, outsider):
    english = labels(organisation)
    with translation.override("lt"):
        lithuanian = labels(organisation)
    assert english["expulsion"] != lithuanian["expulsion"]
    override = Term.objects.get(vocabulary__code="decision_type", code="expulsion", organisation__isnull=True)
    Term.objects.create(
        vocabulary=override.vocabulary, organisation=organisation, code="expulsion", labels={"en": "Our wording"}
    )
    assert labels(organisation)["expulsion"] == "Our wording"
    assert labels(outsider.memberships.get().organisation)["expulsion"] == english["expulsion"]


def test_reloading_the_reference_data_retires_the_cached_lists(organisation):
    labels(organisation)
    Term.objects.filter(vocabulary__code="decision_type", code="expulsion").update(labels={"en": "Stale"})
    assert labels(organisation)["expulsion"] != "Stale"  # a bulk update sends no signal: still cached
    load_reference_data()  # restores the shipped labels and retires the lists
    assert labels(organisation)["expulsion"] not in ("Stale", "")
