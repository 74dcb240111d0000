"""A person's timeline under construction: events, served decisions with their appeals, status changes.

Anything dated after the synthetic window has not happened yet and is left out, so stories end
naturally in the present (an appeal lodged late in 2025 is still pending).
"""

from __future__ import annotations

import datetime
import random

from asylon.ops.synth import texts
from asylon.ops.synth.dates import DAY, LAST_DAY, days_after, in_window
from asylon.ops.synth.profiles import Profile
from asylon.ops.synth.specs import DecisionSpec, EventSpec, ProceedingSpec, StatusSpec
from asylon.vocab.codes import EVENT_TYPE, PROCEEDING_STEP

HOST_COUNTRY = "LT"
VIOLATION_STATUSES = (("confirmed", "likely", "possible", "unlikely"), (20, 35, 35, 10))
DESCRIBED_SHARE = 0.4
# Appeals mostly fail; some decisions are annulled and sent back (DOMAIN.md: appeals and success rate).
COURT_OUTCOMES = (("upheld", "annulled_remitted", "discontinued_or_withdrawn"), (78, 17, 5))
SUPREME_COURT_OUTCOMES = (("upheld", "annulled_remitted"), (85, 15))


class Timeline:
    """Collects one person's events and status changes in the order the story draws them."""

    def __init__(self, rng: random.Random, profile: Profile) -> None:
        self.rng = rng
        self.profile = profile
        self.events: list[EventSpec] = []
        self.decisions: list[DecisionSpec] = []
        self.changes: dict[str, list[tuple[datetime.date, str, datetime.date | None]]] = {}

    def event(
        self,
        code: str,
        on: datetime.date,
        precision: str,
        *,
        abroad: bool = False,
        perpetrator: str = "",
        vocabulary: str = EVENT_TYPE,
        decision: DecisionSpec | None = None,
    ) -> EventSpec | None:
        """Add an event unless its date is outside the window; return it (or None)."""
        if not in_window(on):
            return None
        rng = self.rng
        profile = self.profile
        spec = EventSpec(
            code=code,
            on=on,
            precision=precision,
            country=HOST_COUNTRY if abroad else profile.citizenship,
            region=profile.host_region if abroad else profile.origin_region,
            perpetrator=perpetrator,
            description=texts.event_description(rng, code, profile) if rng.random() < DESCRIBED_SHARE else None,
            violation_status=rng.choices(*VIOLATION_STATUSES)[0],
            vocabulary=vocabulary,
            decision=decision,
        )
        self.events.append(spec)
        return spec

    def decision(
        self,
        code: str,
        on: datetime.date,
        *,
        decision_type: str,
        maker: str,
        outcome: str = "",
        grounds: list[str] | None = None,
        vocabulary: str = EVENT_TYPE,
    ) -> DecisionSpec | None:
        """A decision taken `on` a day and served a few days later, recorded with its event."""
        served_on = days_after(self.rng, on, 1, 12)
        if not in_window(served_on):
            return None
        decision = DecisionSpec(
            decision_type=decision_type,
            decision_maker=maker,
            outcome=outcome,
            grounds=grounds or [],
            decided_on=on,
            served_on=served_on,
            reference_number=texts.decision_reference(self.rng, maker, on.year),
        )
        self.decisions.append(decision)
        self.event(code, on, DAY, abroad=True, perpetrator=maker, vocabulary=vocabulary, decision=decision)
        return decision

    def appeal(
        self, challenged: DecisionSpec, tier: str, court: str, lodged_on: datetime.date
    ) -> ProceedingSpec | None:
        """Lodge an appeal against a decision; the court decides months later (mostly upholding it)."""
        if not in_window(lodged_on):
            return None
        rng = self.rng
        proceeding = ProceedingSpec(
            tier=tier,
            court=court,
            lodged_on=lodged_on,
            court_reference=texts.court_reference(rng, court, lodged_on.year),
        )
        challenged.deadlines_met = True
        challenged.proceedings.append(proceeding)
        self.event("appeal_lodged", lodged_on, DAY, abroad=True, perpetrator=court, vocabulary=PROCEEDING_STEP)
        decided_on = days_after(rng, lodged_on, 45, 240)
        if rng.random() < 0.3:
            self.event("no_oral_hearing", days_after(rng, lodged_on, 20, 40), DAY, abroad=True, perpetrator=court)
        outcome = rng.choices(*(SUPREME_COURT_OUTCOMES if court == "supreme_admin_court" else COURT_OUTCOMES))[0]
        ruling = self.decision(
            "appeal_decided",
            decided_on,
            decision_type=challenged.decision_type,
            maker=court,
            outcome=outcome,
            vocabulary=PROCEEDING_STEP,
        )
        if ruling is not None:
            proceeding.outcome, proceeding.decided_on, proceeding.ruling = outcome, decided_on, ruling
        return proceeding

    def status(self, kind: str, status: str, on: datetime.date, until: datetime.date | None = None) -> None:
        """Record that a status of one kind changed on a day (ignored after the window); `until` when its
        end is known in advance (an entry ban's length)."""
        if on <= LAST_DAY:
            self.changes.setdefault(kind, []).append((on, status, until))

    def statuses(self) -> list[StatusSpec]:
        """The recorded changes as dated periods: each ends when the next begins; the last is current."""
        periods: list[StatusSpec] = []
        for kind, changes in self.changes.items():
            changes.sort(key=lambda change: change[0])
            collapsed: list[tuple[datetime.date, str, datetime.date | None]] = []
            for change in changes:
                if collapsed and collapsed[-1][0] == change[0]:
                    collapsed.pop()  # two changes on one day: the later one stands
                if not collapsed or collapsed[-1][1] != change[1]:
                    collapsed.append(change)
            for position, (on, status, until) in enumerate(collapsed):
                last = position + 1 == len(collapsed)
                ended_on = until if last else collapsed[position + 1][0]
                periods.append(StatusSpec(kind=kind, status=status, started_on=on, ended_on=ended_on, current=last))
        return periods
