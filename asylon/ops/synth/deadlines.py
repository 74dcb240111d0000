"""Deadlines of synthetic decisions, computed as `deadlines_recompute` does: the legal rules in force
(`legal_rules_for`) and `deadline_due` for each rule whose start event is known.

Both are memoised: which rules apply can only change where a rule starts or stops being in force,
and a due date depends only on the rule and the start day. A run therefore asks the database a
handful of times, not once per decision.
"""

from __future__ import annotations

import bisect
import datetime
from collections.abc import Iterable
from typing import Any

from asylon.cases.deadlines import DeadlineComputation, deadline_due
from asylon.vocab.models import LegalRule, StartEvent, Term
from asylon.vocab.selectors import legal_rules_for

ONE_DAY = datetime.timedelta(days=1)


class DeadlinePlanner:
    """Applicable rules and due dates for an organisation's decisions in one jurisdiction."""

    def __init__(self, *, organisation: Any, jurisdiction: str) -> None:
        self.organisation = organisation
        self.jurisdiction = jurisdiction
        changes: set[datetime.date] = set()
        for valid_from, valid_until in LegalRule.objects.values_list("valid_from", "valid_until"):
            if valid_from:
                changes.add(valid_from)
            if valid_until:
                changes.add(valid_until + ONE_DAY)
        self._changes = sorted(changes)
        self._rules: dict[tuple[Any, Any, int], list[LegalRule]] = {}
        self._due: dict[tuple[Any, datetime.date], tuple[DeadlineComputation, dict[str, Any]]] = {}

    def prefetch(self, *, decision_types: Iterable[Term], decision_makers: Iterable[Term]) -> None:
        """Look up every combination now, one query each, so that preparing rows needs no database."""
        days = [self._changes[0] - ONE_DAY, *self._changes] if self._changes else [datetime.date.today()]
        makers = list(decision_makers)
        for decision_type in decision_types:
            for decision_maker in makers:
                for day in days:
                    self.rules(decision_type=decision_type, decision_maker=decision_maker, on=day)

    def rules(self, *, decision_type: Term, decision_maker: Term, on: datetime.date) -> list[LegalRule]:
        """The rules in force on a day for decisions of this type by this maker."""
        key = (decision_type.pk, decision_maker.pk, bisect.bisect_right(self._changes, on))
        found = self._rules.get(key)
        if found is None:
            found = legal_rules_for(
                decision_type=decision_type,
                decision_maker=decision_maker,
                jurisdiction=self.jurisdiction,
                organisation=self.organisation,
                on=on,
            )
            self._rules[key] = found
        return found

    def due(
        self, *, rule: LegalRule, decided_on: datetime.date | None, served_on: datetime.date | None
    ) -> tuple[DeadlineComputation, dict[str, Any]] | None:
        """The computation (and its JSON) for a rule, or None when its start event has no date."""
        starts: dict[str, datetime.date | None] = {StartEvent.SERVED: served_on, StartEvent.DECIDED: decided_on}
        start = starts.get(rule.start_event)
        if start is None:
            return None
        key = (rule.pk, start)
        found = self._due.get(key)
        if found is None:
            computation = deadline_due(rule=rule, start=start)
            found = (computation, computation.as_json())
            self._due[key] = found
        return found
