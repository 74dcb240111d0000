"""Reads of vocabularies and legal rules, with an organisation's own terms and rules overriding the instance's.

An organisation overrides an instance term by adding a Term with the same vocabulary and code
(organisation set); an inactive override hides the instance term for that organisation. Terms of
vocabularies an organisation created itself are found the same way.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from asylon.vocab.codes import DECISION_TYPE
from asylon.vocab.models import LegalRule, Term

# Apostrophes that spreadsheets and keyboards use interchangeably (Ukrainian and Belarusian labels).
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2018": "'", "`": "'"})


def _unknown(vocabulary: str, missing: Iterable[str]) -> ValidationError:
    return ValidationError(
        _("Unknown or inactive term %(codes)s in vocabulary “%(vocabulary)s”."),
        code="unknown_term",
        params={"codes": ", ".join(f"“{code}”" for code in missing), "vocabulary": vocabulary},
    )


def _candidates(*, vocabulary: str, organisation: Any) -> QuerySet[Term]:
    """Active and inactive terms of the vocabulary visible to the organisation (instance and its own)."""
    visible = Q(vocabulary__organisation__isnull=True)
    if organisation is not None:
        visible |= Q(vocabulary__organisation=organisation)
    owners = Q(organisation__isnull=True)
    if organisation is not None:
        owners |= Q(organisation=organisation)
    return Term.objects.filter(visible, owners, vocabulary__code=vocabulary)


def term_label_by_id(term_id: Any) -> str:
    """The label of a term given by its id (a redacted view holds the id), or nothing for none."""
    found = Term.objects.filter(pk=term_id).first() if term_id else None
    return found.label() if found else ""


def terms_of(*, vocabulary: str, organisation: Any = None) -> QuerySet[Term]:
    """The active terms to offer as choices: the organisation's own terms replace instance terms of the same code."""
    candidates = _candidates(vocabulary=vocabulary, organisation=organisation)
    if organisation is not None:
        overridden = candidates.filter(organisation=organisation).values("code")
        candidates = candidates.filter(Q(organisation=organisation) | ~Q(code__in=overridden))
    return candidates.filter(active=True).select_related("parent")


def term(*, vocabulary: str, code: str, organisation: Any = None) -> Term:
    """One active term by code; ValidationError naming the vocabulary and the code when there is none."""
    return terms(vocabulary=vocabulary, codes=[code], organisation=organisation)[0]


def terms(*, vocabulary: str, codes: Iterable[str], organisation: Any = None) -> list[Term]:
    """Active terms by code, in the order asked; one ValidationError listing every unknown or inactive code."""
    wanted = list(dict.fromkeys(codes))
    found = {
        found_term.code: found_term
        for found_term in terms_of(vocabulary=vocabulary, organisation=organisation).filter(code__in=wanted)
    }
    missing = [code for code in wanted if code not in found]
    if missing:
        raise _unknown(vocabulary, missing)
    return [found[code] for code in wanted]


def normalised_label(text: str) -> str:
    """A label reduced for matching: Unicode NFC, case-folded, one space, one apostrophe, Cyrillic yo as ye."""
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES).casefold()
    return " ".join(text.replace("\u0451", "\u0435").split())


def term_by_label(*, vocabulary: str, text: str, organisation: Any = None) -> Term:
    """The active term whose code or label in any language matches `text`, ignoring case and spacing."""
    wanted = normalised_label(text)
    if not wanted:
        raise _unknown(vocabulary, [text])
    matches: dict[str, Term] = {}
    for candidate in terms_of(vocabulary=vocabulary, organisation=organisation):
        names = [candidate.code, *candidate.labels.values()]
        if any(normalised_label(str(name)) == wanted for name in names):
            matches[candidate.code] = candidate
    if not matches:
        raise _unknown(vocabulary, [text])
    if len(matches) > 1:
        raise ValidationError(
            _("“%(text)s” matches several terms in vocabulary “%(vocabulary)s”: %(codes)s. Use the code."),
            code="ambiguous_term",
            params={"text": text, "vocabulary": vocabulary, "codes": ", ".join(sorted(matches))},
        )
    return next(iter(matches.values()))


def legal_rules_for(
    *,
    decision_type: Term,
    jurisdiction: str,
    decision_maker: Term | None = None,
    organisation: Any = None,
    on: date | None = None,
) -> list[LegalRule]:
    """Legal rules in force on a date for a decision type; an organisation's rule replaces the instance one.

    Given a decision maker, rules scoped to another maker are left out (an appeal period against a
    Migration Department decision does not run from a court judgment); without one, all are listed.
    """
    on = on or timezone.localdate()
    makers = Q()
    if decision_maker is not None:
        makers = Q(decided_by__isnull=True) | Q(decided_by__code=decision_maker.code)
    owners = Q(organisation__isnull=True)
    if organisation is not None:
        owners |= Q(organisation=organisation)
    in_force = (Q(valid_from__isnull=True) | Q(valid_from__lte=on)) & (
        Q(valid_until__isnull=True) | Q(valid_until__gte=on)
    )
    rules = (
        LegalRule.objects.filter(
            owners,
            in_force,
            makers,
            jurisdiction=jurisdiction.upper(),
            decision_type__code=decision_type.code,
            decision_type__vocabulary__code=DECISION_TYPE,
        )
        .select_related("decision_type", "forum")
        .order_by("deadline_kind", "code")
    )
    chosen: dict[str, LegalRule] = {}
    for rule in rules:
        if rule.code not in chosen or rule.organisation_id is not None:
            chosen[rule.code] = rule
    return list(chosen.values())
