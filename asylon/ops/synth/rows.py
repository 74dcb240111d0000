"""Model instances for synthetic stories, built as the services build them and sealed in advance.

UUIDs come from a seeded generator; blind-index rows from `lookup_rows`; event dates from
`event_dates`; deadlines from the legal rules through `deadline_due` (via the planner). Encrypted
values are sealed by calling each encrypted field's `pre_save`, the function `bulk_create` calls:
done here, it can run in the preparing process, and `bulk_create` then keeps the sealed value.
"""

from __future__ import annotations

import datetime
import functools
import random
import uuid
from typing import Any

from django.db import models

from asylon.cases.models import (
    Case,
    CaseParty,
    Deadline,
    DeadlineStatus,
    Decision,
    Event,
    Note,
    PartyRole,
    Proceeding,
    StatusPeriod,
)
from asylon.cases.services.events import event_dates
from asylon.common.encrypted import encrypted_fields
from asylon.ops.synth.dates import LAST_DAY
from asylon.ops.synth.deadlines import DeadlinePlanner
from asylon.ops.synth.specs import DecisionSpec, Story
from asylon.ops.synth.terms import TermTable
from asylon.people.lookups import lookup_rows
from asylon.people.models import ConsentRecord, MilitaryServicePeriod, Person, PersonLookup, Relationship
from asylon.vocab import codes

# Outcomes after which the person had nothing to appeal: their unused time limits lapse as cancelled.
FAVOURABLE_OUTCOMES = frozenset(
    {
        "grant",
        "refugee_status",
        "subsidiary_protection",
        "temporary_protection",
        "humanitarian_permit",
        "annulled_remitted",
        "discontinued_or_withdrawn",
        "interim_measures_granted",
    }
)
GroundsLink = Decision.grounds.through
# Written in this order: foreign keys point backwards.
WRITE_ORDER: tuple[type[models.Model], ...] = (
    Person,
    PersonLookup,
    Case,
    CaseParty,
    MilitaryServicePeriod,
    Relationship,
    ConsentRecord,
    Event,
    Decision,
    GroundsLink,
    Proceeding,
    Deadline,
    StatusPeriod,
    Note,
)
Rows = dict[type[models.Model], list[Any]]


@functools.lru_cache(maxsize=1 << 14)
def stored_event_dates(precision: str, on: datetime.date) -> tuple[datetime.date | None, int, int | None]:
    """What an event stores of its date, as `event_record` stores it (cached: dates repeat a lot)."""
    return event_dates(precision=precision, occurred_on=on, year=None, month=None)


def case_reference(seed: int, index: int) -> str:
    """The reference of the `index`-th synthetic case of a seed: recognisable as synthetic, unique per seed."""
    return f"SYN{seed}-{index + 1:06d}"


def sequential_uuid(prefix: int, sequence: int, random_bits: int) -> uuid.UUID:
    """A version 8 (RFC 9562, custom) UUID: 16 bits of run prefix, a 32-bit sequence, 74 random bits.

    Keys that grow within a run let every index insert land at the end of its index, where random
    version 4 keys would touch a different page each time: with a million events that is the
    difference between writing a few pages per batch and rewriting most of every index.
    """
    high = (prefix << 32 | sequence) << 80
    random_a, random_b = random_bits >> 62, random_bits & ((1 << 62) - 1)
    return uuid.UUID(int=high | 8 << 76 | random_a << 64 | 0b10 << 62 | random_b)


def seal(rows: Rows) -> None:
    """Encrypt every encrypted value of the rows for its own row and field, as `bulk_create` would."""
    for model, objects in rows.items():
        for field in encrypted_fields(model):
            pre_save = field.pre_save
            for instance in objects:
                pre_save(instance, True)


class RowBuilder:
    """Turns stories into unsaved, sealed model instances of one organisation."""

    def __init__(
        self,
        *,
        organisation: Any,
        actor_id: Any,
        seed: int,
        terms: TermTable,
        planner: DeadlinePlanner,
        ids: random.Random,
    ) -> None:
        self.organisation_id = organisation.pk
        self.jurisdiction = organisation.country
        self.actor_id = actor_id
        self.seed = seed
        self.terms = terms
        self.planner = planner
        self._ids = ids
        self._run_prefix = ids.getrandbits(16)
        self._sequence = 0
        self.rows: Rows = {}

    def new_id(self) -> uuid.UUID:
        """The next key of the run, from the seeded generator (reruns give the same keys)."""
        self._sequence += 1
        return sequential_uuid(self._run_prefix, self._sequence, self._ids.getrandbits(74))

    def build(self, stories: list[Story]) -> Rows:
        """The sealed rows of a batch of stories, by model, in write order."""
        self.rows = {model: [] for model in WRITE_ORDER}
        for story in stories:
            self._add_story(story)
        rows, self.rows = self.rows, {}
        seal(rows)
        return rows

    def _add_story(self, story: Story) -> None:
        rows, org = self.rows, self.organisation_id
        person = Person(
            id=self.new_id(),
            organisation_id=org,
            claim_basis_id=self.terms.id(codes.CLAIM_BASIS, story.claim_basis),
            **story.person,
        )
        rows[Person].append(person)
        rows[PersonLookup].extend(lookup_rows(person))
        case = Case(
            id=self.new_id(),
            organisation_id=org,
            reference=case_reference(self.seed, story.index),
            jurisdiction=self.jurisdiction,
            **story.case,
        )
        rows[Case].append(case)
        rows[CaseParty].append(
            CaseParty(
                id=self.new_id(), organisation_id=org, case_id=case.pk, person_id=person.pk, role=PartyRole.CLIENT
            )
        )
        for service in story.services:
            rows[MilitaryServicePeriod].append(
                MilitaryServicePeriod(
                    id=self.new_id(),
                    organisation_id=org,
                    person_id=person.pk,
                    service_type=service.service_type,
                    start_year=service.start_year,
                    end_year=service.end_year,
                    unit=service.unit,
                    rank=service.rank,
                    role=service.role,
                    combat_exposure=service.combat_exposure,
                )
            )
        for relative in story.relatives:
            rows[Relationship].append(
                Relationship(
                    id=self.new_id(),
                    organisation_id=org,
                    person_id=person.pk,
                    kind=relative.kind,
                    description=relative.description,
                    in_security_structures=relative.in_security_structures,
                    under_pressure=relative.under_pressure,
                )
            )
        for consent in story.consents:
            rows[ConsentRecord].append(
                ConsentRecord(
                    id=self.new_id(),
                    organisation_id=org,
                    person_id=person.pk,
                    purpose=consent.purpose,
                    given_on=consent.given_on,
                    withdrawn_on=consent.withdrawn_on,
                    recorded_by_id=self.actor_id,
                    note=consent.note,
                )
            )
        event_ids = self._add_events(story, case.pk, person.pk)
        for decision in story.decisions:
            self._add_decision(decision, case.pk, event_ids.get(id(decision)))
        for period in story.statuses:
            rows[StatusPeriod].append(
                StatusPeriod(
                    id=self.new_id(),
                    organisation_id=org,
                    case_id=case.pk,
                    person_id=person.pk,
                    kind=period.kind,
                    status=period.status,
                    started_on=period.started_on,
                    ended_on=period.ended_on,
                    start_year=period.started_on.year,
                    start_month=period.started_on.month,
                    duration_days=(period.ended_on - period.started_on).days if period.ended_on else None,
                    current=period.current,
                )
            )
        for note in story.notes:
            rows[Note].append(
                Note(
                    id=self.new_id(),
                    organisation_id=org,
                    case_id=case.pk,
                    author_id=self.actor_id,
                    body=note.body,
                    privileged=note.privileged,
                )
            )

    def _add_events(self, story: Story, case_id: uuid.UUID, person_id: uuid.UUID) -> dict[int, uuid.UUID]:
        """Event rows; returns the event id of each decision spec that has an event."""
        events, term_id, org = self.rows[Event], self.terms.id, self.organisation_id
        event_ids: dict[int, uuid.UUID] = {}
        for spec in story.events:
            # Month and year precision keep no exact day, as in `event_record`.
            exact, year, month = stored_event_dates(spec.precision, spec.on)
            event = Event(
                id=self.new_id(),
                organisation_id=org,
                case_id=case_id,
                person_id=person_id,
                event_type_id=term_id(spec.vocabulary, spec.code),
                occurred_on=exact,
                date_precision=spec.precision,
                year=year,
                month=month,
                country=spec.country,
                region=spec.region,
                perpetrator_id=term_id(codes.DECISION_MAKER, spec.perpetrator) if spec.perpetrator else None,
                description=spec.description,
                violation_status=spec.violation_status,
                alert_safe=spec.alert_safe,
                consent_to_publish=spec.consent_to_publish,
            )
            events.append(event)
            if spec.decision is not None:
                event_ids[id(spec.decision)] = event.pk
        return event_ids

    def _add_decision(self, spec: DecisionSpec, case_id: uuid.UUID, event_id: uuid.UUID | None) -> None:
        rows, term, org = self.rows, self.terms.term, self.organisation_id
        decision_type = term(codes.DECISION_TYPE, spec.decision_type)
        maker = term(codes.DECISION_MAKER, spec.decision_maker)
        decision = Decision(
            id=self.new_id(),
            organisation_id=org,
            case_id=case_id,
            event_id=event_id,
            decision_type_id=decision_type.pk,
            decision_maker_id=maker.pk,
            outcome_id=term(codes.DECISION_OUTCOME, spec.outcome).pk if spec.outcome else None,
            decided_on=spec.decided_on,
            served_on=spec.served_on,
            served_year=spec.served_on.year,
            served_month=spec.served_on.month,
            reference_number=spec.reference_number,
        )
        rows[Decision].append(decision)
        rows[GroundsLink].extend(
            GroundsLink(decision_id=decision.pk, term_id=term(codes.GROUNDS, code).pk) for code in spec.grounds
        )
        for proceeding in spec.proceedings:
            rows[Proceeding].append(
                Proceeding(
                    id=self.new_id(),
                    organisation_id=org,
                    case_id=case_id,
                    decision_id=decision.pk,
                    tier=proceeding.tier,
                    court_id=term(codes.DECISION_MAKER, proceeding.court).pk,
                    lodged_on=proceeding.lodged_on,
                    lodged_year=proceeding.lodged_on.year,
                    outcome_id=term(codes.DECISION_OUTCOME, proceeding.outcome).pk if proceeding.outcome else None,
                    decided_year=proceeding.decided_on.year if proceeding.decided_on else None,
                    court_reference=proceeding.court_reference,
                )
            )
        for rule in self.planner.rules(decision_type=decision_type, decision_maker=maker, on=spec.served_on):
            computed = self.planner.due(rule=rule, decided_on=spec.decided_on, served_on=spec.served_on)
            if computed is None:
                continue
            computation, as_json = computed
            rows[Deadline].append(
                Deadline(
                    id=self.new_id(),
                    organisation_id=org,
                    case_id=case_id,
                    decision_id=decision.pk,
                    legal_rule_id=rule.pk,
                    kind=rule.deadline_kind,
                    due_on=computation.due_on,
                    status=deadline_status(spec, computation.due_on),
                    computation=as_json,
                )
            )


def deadline_status(decision: DecisionSpec, due_on: datetime.date) -> str:
    """Met when acted on; open when due after the synthetic present; else lapsed (cancelled when the
    decision went the person's way, missed when it did not)."""
    if decision.deadlines_met:
        return DeadlineStatus.MET
    if due_on > LAST_DAY:
        return DeadlineStatus.OPEN
    return DeadlineStatus.CANCELLED if decision.outcome in FAVOURABLE_OUTCOMES else DeadlineStatus.MISSED
