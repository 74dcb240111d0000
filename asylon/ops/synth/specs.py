"""The plain records a synthetic life story is made of, before they become model instances.

Stories are generated without Django (codes and dates only); the writer turns them into rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from asylon.vocab.codes import EVENT_TYPE


@dataclass(slots=True)
class ProceedingSpec:
    """An appeal against a decision at one tier, and the court's own decision on it."""

    tier: str
    court: str
    lodged_on: datetime.date
    court_reference: str
    outcome: str = ""
    decided_on: datetime.date | None = None
    ruling: DecisionSpec | None = None


@dataclass(slots=True)
class DecisionSpec:
    """A decision by an authority: type, maker, outcome and grounds (vocabulary codes), and its appeals."""

    decision_type: str
    decision_maker: str
    outcome: str
    grounds: list[str]
    decided_on: datetime.date
    served_on: datetime.date
    reference_number: str
    deadlines_met: bool = False  # appealed in time, or reviewed by a court as the law requires
    proceedings: list[ProceedingSpec] = field(default_factory=list)


@dataclass(slots=True)
class EventSpec:
    """An ESF act: type code (of `vocabulary`), true date and how precisely it is known."""

    code: str
    on: datetime.date
    precision: str
    country: str
    region: str = ""
    perpetrator: str = ""
    description: str | None = None
    violation_status: str = "possible"
    vocabulary: str = EVENT_TYPE
    decision: DecisionSpec | None = None
    consent_to_publish: bool = False
    alert_safe: bool = False


@dataclass(slots=True)
class StatusSpec:
    """A dated status of one kind (residence, procedure, liberty, document)."""

    kind: str
    status: str
    started_on: datetime.date
    ended_on: datetime.date | None = None
    current: bool = True


@dataclass(slots=True)
class ServiceSpec:
    """A period of military or security service."""

    service_type: str
    start_year: int
    end_year: int | None
    unit: str
    rank: str
    role: str
    combat_exposure: bool | None


@dataclass(slots=True)
class RelativeSpec:
    """A relative described in the record (not a person on record)."""

    kind: str
    description: str
    in_security_structures: bool
    under_pressure: bool


@dataclass(slots=True)
class ConsentSpec:
    """Consent for one purpose, perhaps withdrawn later."""

    purpose: str
    given_on: datetime.date
    withdrawn_on: datetime.date | None
    note: str | None


@dataclass(slots=True)
class NoteSpec:
    """A case note."""

    body: str
    privileged: bool


@dataclass(slots=True)
class Story:
    """Everything synthesised for one person: identity, profile, events, statuses and casework."""

    index: int
    person: dict[str, Any]
    claim_basis: str
    case: dict[str, Any]
    services: list[ServiceSpec] = field(default_factory=list)
    relatives: list[RelativeSpec] = field(default_factory=list)
    events: list[EventSpec] = field(default_factory=list)
    decisions: list[DecisionSpec] = field(default_factory=list)
    statuses: list[StatusSpec] = field(default_factory=list)
    consents: list[ConsentSpec] = field(default_factory=list)
    notes: list[NoteSpec] = field(default_factory=list)
