"""Writing parsed rows in batches: persons (with their blind indexes), cases, parties and events,
created or updated through the same encryption, blind-index and audit functions as the services.

Each batch costs a handful of queries: the identities already imported, the cases named by
reference, the parties and imported events already there; then one insert per model (`inserting.py`)
and one audit entry per model naming every created and updated id. Rows the actor may not write (an
existing case they are not a member of) are refused with their reason, before anything of theirs
is written.
"""

from __future__ import annotations

import datetime
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models
from django.utils.translation import gettext as _

from asylon.audit.services import record
from asylon.cases.models import Case, CaseMembership, CaseParty, Event, PartyRole
from asylon.common.encrypted import encrypted_update
from asylon.ops.imports.identity import content_digest, event_key, person_key
from asylon.ops.imports.inserting import new_instance, rows_copy, rows_insert
from asylon.ops.imports.pipelining import Copies, CopiesInFlight
from asylon.ops.imports.validation import ParsedRow
from asylon.ops.models import ImportedKind, ImportedRecord
from asylon.people.duplicates import Candidate, candidates_among, candidates_record
from asylon.people.lookups import NAME_FIELDS, lookup_digests, lookup_rows
from asylon.people.models import ConsentPurpose, Person, PersonLookup, PersonTombstone
from asylon.people.selectors_consent import persons_withdrawn

WRITE_ORDER: tuple[type[models.Model], ...] = (
    Person,
    PersonLookup,
    Case,
    CaseMembership,
    CaseParty,
    Event,
    ImportedRecord,
)
# Tables whose per-batch lookups the planner plans from column statistics (digests, keys, persons' parties);
# the others are read by primary key, which needs none.
LOOKED_UP: tuple[type[models.Model], ...] = (PersonLookup, ImportedRecord, CaseParty)
AUDITED: tuple[type[models.Model], ...] = (Person, Case, CaseMembership, CaseParty, Event)
EVENT_CONTENT = ("country", "region", "perpetrator_id")
KINDS = ("person", "case", "event")
ANALYZE_FROM = 1000  # rows written before the first refresh of planner statistics (PostgreSQL)


@dataclass
class Tally:
    """What a run created, updated and left unchanged per kind, the rows it refused, its duplicate candidates."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    refused: list[tuple[ParsedRow, str, str]] = field(default_factory=list)
    duplicates: list[dict[str, Any]] = field(default_factory=list)


# Per row number, the key of its event when its person was known before the batch was built; per key, the
# imported record (event id, content digest, record id); per id, the event.
KnownEvents = tuple[dict[int, bytes], dict[bytes, tuple[uuid.UUID, bytes, int]], dict[Any, Event]]


@dataclass
class _Built:
    """A batch made in memory: its new instances per model and its changes; on PostgreSQL, its COPYs."""

    new: dict[type[models.Model], list[Any]]
    person_updates: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)
    record_updates: list[ImportedRecord] = field(default_factory=list)
    event_updates: list[Event] = field(default_factory=list)
    copies: Copies = field(default_factory=list)


class BatchWriter:
    """Writes batches of one import run; remembers what earlier batches of the run made."""

    def __init__(
        self, *, organisation: Any, actor: Any, run_id: Any, dry_run: bool, case_header: str, name_header: str
    ) -> None:
        self.organisation = organisation
        self.organisation_id = organisation.pk
        self.actor = actor
        self.run_id = str(run_id)
        self.dry_run = dry_run
        self.case_header = case_header
        self.name_header = name_header
        self.tally = Tally()
        self._persons: dict[bytes, uuid.UUID] = {}
        self._person_rows: dict[uuid.UUID, int] = {}
        self._cases: dict[str, uuid.UUID | None] = {}  # reference -> id (None: the actor may not write to it)
        self._case_of_person: dict[uuid.UUID, uuid.UUID] = {}
        self._parties: set[tuple[uuid.UUID, uuid.UUID]] = set()
        self._events: set[bytes] = set()
        self._event_contents: dict[tuple[Any, ...], bytes] = {}
        self._reference_counts: dict[int, int] = {}
        self._counted_cases: set[str] = set()
        self._written = self._analyzed_at = 0
        self._off_limits: set[uuid.UUID] = set()
        self._in_flight: CopiesInFlight | None = None  # PostgreSQL, within `pipelined`
        self._pending: _Built | None = None  # built, its COPYs not sent yet

    # Resolution: what exists already -------------------------------------------------------------

    def _known_persons(self, keys: set[bytes]) -> dict[bytes, tuple[uuid.UUID, bytes, int]]:
        """Imported identities among `keys`: key -> (person id, content digest, record id); merged persons
        resolve to their successor through the tombstone, erased ones are imported afresh."""
        records = ImportedRecord.objects.filter(
            organisation_id=self.organisation_id, kind=ImportedKind.PERSON, key__in=list(keys)
        ).values_list("key", "object_id", "content", "pk")
        found = {bytes(key): (object_id, bytes(content), pk) for key, object_id, content, pk in records}
        ids = {object_id for object_id, _content, _pk in found.values()}
        existing = set(Person.objects.filter(pk__in=ids).values_list("pk", flat=True))
        successors = dict(
            PersonTombstone.objects.filter(former_person_id__in=ids - existing).values_list(
                "former_person_id", "successor_id"
            )
        )
        resolved = {}
        for key, (object_id, content, pk) in found.items():
            person_id = object_id if object_id in existing else successors.get(object_id)
            if person_id is not None:
                resolved[key] = (person_id, content, pk)
        return resolved

    def _resolve_cases(self, references: set[str]) -> None:
        wanted = {reference for reference in references if reference not in self._cases}
        if not wanted:
            return
        for case in Case.objects.filter(organisation_id=self.organisation_id, reference__in=wanted):
            self._cases[case.reference] = case.pk if self.actor.has_perm("cases.change_event", case) else None

    def _first_cases(self, person_ids: set[uuid.UUID]) -> None:
        """For each already-known person, the first case they were made a party to among those the actor
        may change (where their rows without a reference go); persons with none are off limits."""
        # Tested one by one: `set - dict.keys()` copies every key of the run's map into a set, per batch.
        wanted = {pk for pk in person_ids if pk not in self._case_of_person and pk not in self._off_limits}
        if not wanted:
            return
        parties = CaseParty.objects.filter(person_id__in=wanted).select_related("case").order_by("created_at")
        allowed: dict[uuid.UUID, bool] = {}
        for party in parties:
            if party.person_id in self._case_of_person:
                continue
            if party.case_id not in allowed:
                allowed[party.case_id] = self.actor.has_perm("cases.change_event", party.case)
            if allowed[party.case_id]:
                self._case_of_person[party.person_id] = party.case_id
        self._off_limits.update(pk for pk in wanted if pk not in self._case_of_person)

    def _restricted(self, person_ids: set[uuid.UUID]) -> set[uuid.UUID]:
        """Known persons whose consent to casework is withdrawn (docs/gdpr.md, "Consent"); one query, if any."""
        if not person_ids:
            return set()
        withdrawn = persons_withdrawn(purpose=ConsentPurpose.CASEWORK, organisation=self.organisation)
        return set(Person.objects.filter(pk__in=person_ids).filter(pk__in=withdrawn).values_list("pk", flat=True))

    def _known_parties(self, person_ids: set[uuid.UUID]) -> None:
        if person_ids:
            self._parties.update(CaseParty.objects.filter(person_id__in=person_ids).values_list("case_id", "person_id"))

    def _known_events(
        self, batch: Sequence[ParsedRow], keys: dict[int, bytes], known: dict[bytes, tuple[uuid.UUID, bytes, int]]
    ) -> KnownEvents:
        """The batch's events imported before, read before the batch is built: only rows whose person is
        known already can have them (a person made in this batch has a new id, and so new event keys)."""
        event_keys = {}
        for row in batch:
            key = keys[row.number]
            person_id = self._persons.get(key) or (known[key][0] if key in known else None)
            if row.event and person_id is not None:
                event_keys[row.number] = event_key(person_id, row.event)
        wanted = [key for key in event_keys.values() if key not in self._events]
        if not wanted:
            return event_keys, {}, {}
        records = ImportedRecord.objects.filter(
            organisation_id=self.organisation_id, kind=ImportedKind.EVENT, key__in=wanted
        ).values_list("key", "object_id", "content", "pk")
        found = {bytes(key): (object_id, bytes(content), pk) for key, object_id, content, pk in records}
        existing = Event.objects.filter(pk__in=[object_id for object_id, _content, _pk in found.values()]).in_bulk()
        return event_keys, found, existing

    # Writing ---------------------------------------------------------------------------------------

    @contextmanager
    def pipelined(self) -> Iterator[None]:
        """Around a run's `write`s and its `flush`: on PostgreSQL each batch's inserts are sent by a second
        thread while the next batch is built (`pipelining.py`), and every other query waits for them."""
        if connection.vendor != "postgresql":
            yield
            return
        with connection.cursor() as cursor:
            # Foreign keys checked as each COPY ends, so during the overlap rather than all at the commit.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with CopiesInFlight(connection.connection) as in_flight, connection.execute_wrapper(self._after_copies):
            self._in_flight = in_flight
            try:
                yield
            finally:
                self._in_flight = self._pending = None
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's own mode, for the rest of the transaction

    def _after_copies(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if self._in_flight is not None:
            self._in_flight.wait()
        return execute(sql, params, many, context)

    def write(self, batch: Sequence[ParsedRow]) -> None:
        """Write (or, in a dry run, write inside the caller's rolled-back transaction) one batch; within
        `pipelined`, on PostgreSQL, its inserts go out with the next batch's `write` or with `flush`."""
        keys = {row.number: person_key(row) for row in batch}
        known = self._known_persons({key for key in keys.values() if key not in self._persons})
        self._resolve_cases({row.case["reference"] for row in batch if row.case.get("reference")})
        known_ids = {person_id for person_id, _content, _pk in known.values()}
        self._first_cases(known_ids)
        self._known_parties(known_ids)
        restricted = self._restricted(known_ids)
        events = self._known_events(batch, keys, known)
        if self._in_flight is None:
            built = self._build(batch, keys, known, restricted, events)
            for model in WRITE_ORDER:
                if built.new[model]:
                    rows_insert(model, built.new[model])
            self._follow_up(built)
            return
        # This batch read all it needs: the previous batch's rows are not among what it asked for (every lookup
        # asks only for what the run's maps lack, and they hold what the run made). Its inserts go out now.
        previous = self._pending
        if previous is not None:
            self._in_flight.start(previous.copies)
        built = self._build(batch, keys, known, restricted, events)
        built.copies = [rows_copy(model, built.new[model]) for model in WRITE_ORDER if built.new[model]]
        if previous is not None:
            self._in_flight.wait()
            self._follow_up(previous)
        self._pending = built

    def flush(self) -> None:
        """Send the last batch's inserts and write what follows them (PostgreSQL, within `pipelined`)."""
        if self._in_flight is not None and self._pending is not None:
            self._in_flight.start(self._pending.copies)
            self._in_flight.wait()
            self._follow_up(self._pending)
            self._pending = None

    def _build(
        self,
        batch: Sequence[ParsedRow],
        keys: dict[int, bytes],
        known: dict[bytes, tuple[uuid.UUID, bytes, int]],
        restricted: set[uuid.UUID],
        events: KnownEvents,
    ) -> _Built:
        """The batch's new instances and changes, in memory; the rows the actor may not write are refused."""
        built = _Built(new={model: [] for model in WRITE_ORDER})
        new = built.new
        events_pending: list[tuple[ParsedRow, uuid.UUID, uuid.UUID]] = []
        for row in batch:
            reference = row.case.get("reference", "")
            if reference and self._cases.get(reference, "") is None:
                self.tally.refused.append(
                    (row, self.case_header, _("You are not a member of case %(reference)s.") % {"reference": reference})
                )
                continue
            known_id = known[keys[row.number]][0] if keys[row.number] in known else None
            if known_id in self._off_limits:
                # Imported before, but now only on cases the actor is not a member of: need-to-know holds.
                self.tally.refused.append(
                    (row, self.name_header, _("This person is on record in cases you are not a member of."))
                )
                continue
            if known_id in restricted:
                # Consent to casework withdrawn: the record is restricted, nothing about them is written.
                self.tally.refused.append(
                    (
                        row,
                        self.name_header,
                        _("This person withdrew consent to casework, so their record is restricted and not changed."),
                    )
                )
                continue
            person_id = self._person(row, keys[row.number], known, new, built.person_updates, built.record_updates)
            case_id = self._case(row, person_id, new)
            if (case_id, person_id) not in self._parties:
                self._parties.add((case_id, person_id))
                new[CaseParty].append(
                    new_instance(
                        CaseParty,
                        id=uuid.uuid4(),
                        organisation_id=self.organisation_id,
                        case_id=case_id,
                        person_id=person_id,
                        role=PartyRole.CLIENT,
                    )
                )
            if row.event:
                events_pending.append((row, person_id, case_id))
        built.event_updates = self._events_of(events_pending, events, new, built.record_updates)
        return built

    def _follow_up(self, built: _Built) -> None:
        """After a batch's inserts: its updates, duplicate candidates and audit entries."""
        new = built.new
        updated_persons = self._update_persons(built.person_updates)
        if built.event_updates:
            Event.objects.bulk_update(built.event_updates, list(EVENT_CONTENT))
        if built.record_updates:
            ImportedRecord.objects.bulk_update(built.record_updates, ["content", "object_id"])
        self._planner_statistics_refresh(len(new[Person]) + len(new[Event]))
        self._find_duplicates(new[Person])
        if not self.dry_run:
            updated: dict[type[models.Model], list[Any]] = {
                Person: [person.pk for person in updated_persons],
                Event: [event.pk for event in built.event_updates],
            }
            self._audit(new, updated)

    def _person(
        self,
        row: ParsedRow,
        key: bytes,
        known: dict[bytes, tuple[uuid.UUID, bytes, int]],
        new: dict[type[models.Model], list[Any]],
        person_updates: dict[uuid.UUID, dict[str, Any]],
        record_updates: list[ImportedRecord],
    ) -> uuid.UUID:
        # A person met earlier in this run: their first row made or matched them; later rows add events.
        if key in self._persons:
            return self._persons[key]
        content = content_digest(row.person)
        if key in known:
            person_id, stored, record_id = known[key]
            if stored == content:
                self.tally.unchanged["person"] += 1
            else:
                self.tally.updated["person"] += 1
                person_updates[person_id] = row.person
                record_updates.append(ImportedRecord(pk=record_id, content=content, object_id=person_id))
        else:
            person = new_instance(Person, id=uuid.uuid4(), organisation_id=self.organisation_id, **row.person)
            person_id = person.pk
            new[Person].append(person)
            new[PersonLookup].extend(
                new_instance(
                    PersonLookup, organisation_id=self.organisation_id, person_id=person_id, kind=kind, digest=digest
                )
                for kind, digest in lookup_digests(person)
            )
            new[ImportedRecord].append(self._record(ImportedKind.PERSON, key, person_id, content))
            self.tally.created["person"] += 1
        self._persons[key] = person_id
        self._person_rows.setdefault(person_id, row.number)
        return person_id

    def _case(self, row: ParsedRow, person_id: uuid.UUID, new: dict[type[models.Model], list[Any]]) -> uuid.UUID:
        reference = row.case.get("reference", "")
        case_id = self._cases.get(reference) if reference else self._case_of_person.get(person_id)
        if case_id is None:
            case = self._new_case(reference, row.case.get("opened_on"))
            new[Case].append(case)
            new[CaseMembership].append(
                new_instance(
                    CaseMembership,
                    id=uuid.uuid4(),
                    organisation_id=self.organisation_id,
                    case_id=case.pk,
                    user_id=self.actor.pk,
                )
            )
            case_id = case.pk
            self._cases[case.reference] = case_id
            self.tally.created["case"] += 1
        elif reference and reference not in self._counted_cases:
            self.tally.unchanged["case"] += 1
        if reference:
            self._counted_cases.add(reference)
        self._case_of_person.setdefault(person_id, case_id)
        return case_id

    def _new_case(self, reference: str, opened_on: datetime.date | None) -> Case:
        """A case as `case_open` makes it: the actor leads it and becomes a member."""
        opened_on = opened_on or datetime.date.today()
        return new_instance(
            Case,
            id=uuid.uuid4(),
            organisation_id=self.organisation_id,
            reference=reference or self._next_reference(opened_on.year),
            jurisdiction=self.organisation.country,
            opened_on=opened_on,
            lead_assignee_id=self.actor.pk,
        )

    def _next_reference(self, year: int) -> str:
        # `case_open`'s numbering (country-year-sequence), counted once per year and run rather than per case.
        prefix = f"{self.organisation.country}-{year}-"
        if year not in self._reference_counts:
            self._reference_counts[year] = Case.objects.filter(
                organisation_id=self.organisation_id, reference__startswith=prefix
            ).count()
        while True:
            self._reference_counts[year] += 1
            reference = f"{prefix}{self._reference_counts[year]:05d}"
            if reference not in self._cases:
                return reference

    def _events_of(
        self,
        pending: list[tuple[ParsedRow, uuid.UUID, uuid.UUID]],
        events: KnownEvents,
        new: dict[type[models.Model], list[Any]],
        record_updates: list[ImportedRecord],
    ) -> list[Event]:
        keys, known, existing = events
        keyed = [
            (keys.get(row.number) or event_key(person_id, row.event), row, person_id, case_id)
            for row, person_id, case_id in pending
        ]
        updates = []
        for key, row, person_id, case_id in keyed:
            if key in self._events:
                self.tally.unchanged["event"] += 1  # the same event twice in the file
                continue
            self._events.add(key)
            content = self._event_content(row.event)
            found = known.get(key)
            if found and found[0] in existing:
                event_id, stored, record_id = found
                if stored == content:
                    self.tally.unchanged["event"] += 1
                    continue
                event = existing[event_id]
                for name in EVENT_CONTENT:
                    setattr(event, name, row.event.get(name, "" if name != "perpetrator_id" else None))
                updates.append(event)
                record_updates.append(ImportedRecord(pk=record_id, content=content, object_id=event_id))
                self.tally.updated["event"] += 1
                continue
            event = new_instance(
                Event,
                id=uuid.uuid4(),
                organisation_id=self.organisation_id,
                case_id=case_id,
                person_id=person_id,
                **row.event,
            )
            new[Event].append(event)
            if found:  # imported once, deleted since: import it again under the same key
                record_updates.append(ImportedRecord(pk=found[2], content=content, object_id=event.pk))
            else:
                new[ImportedRecord].append(self._record(ImportedKind.EVENT, key, event.pk, content))
            self.tally.created["event"] += 1
        return updates

    def _event_content(self, event: dict[str, Any]) -> bytes:
        # Few distinct (country, region, perpetrator) values in an import: each is digested once per run.
        values = tuple(event.get(name) for name in EVENT_CONTENT)
        content = self._event_contents.get(values)
        if content is None:
            content = self._event_contents[values] = content_digest(dict(zip(EVENT_CONTENT, values, strict=True)))
        return content

    def _record(self, kind: str, key: bytes, object_id: uuid.UUID, content: bytes) -> ImportedRecord:
        return new_instance(
            ImportedRecord,
            organisation_id=self.organisation_id,
            kind=kind,
            key=key,
            object_id=object_id,
            content=content,
        )

    def _update_persons(self, updates: dict[uuid.UUID, dict[str, Any]]) -> list[Person]:
        """Write changed values of known persons (encrypted per row) and refresh their blind indexes."""
        if not updates:
            return []
        persons = list(Person.objects.filter(pk__in=updates))
        by_fields: dict[tuple[str, ...], list[Person]] = {}
        for person in persons:
            values = updates[person.pk]
            for name, value in values.items():
                setattr(person, name, value)
            by_fields.setdefault(tuple(sorted(values)), []).append(person)
        for names, group in by_fields.items():
            encrypted_update(group, list(names))
        renamed = [
            person for person in persons if set(updates[person.pk]) & {*NAME_FIELDS, "name_variants", "identifiers"}
        ]
        if renamed:
            PersonLookup.objects.filter(person__in=renamed).delete()
            PersonLookup.objects.bulk_create([lookup for person in renamed for lookup in lookup_rows(person)])
        return persons

    def _planner_statistics_refresh(self, written: int) -> None:
        """On PostgreSQL, refresh the planner's statistics of the tables this import fills whenever they
        have doubled: inside the import's one transaction autovacuum cannot see the new rows, and plans
        made for empty tables turn the per-batch lookups (duplicates, identities) into scans of them."""
        self._written += written
        if connection.vendor != "postgresql" or self._written < max(ANALYZE_FROM, 2 * self._analyzed_at):
            return
        tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in LOOKED_UP)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {tables}")  # nosec B608 - table names from the models' metadata
        self._analyzed_at = self._written

    def _find_duplicates(self, created: list[Person]) -> None:
        if not created:
            return
        candidates: list[Candidate] = candidates_among(organisation=self.organisation, persons=created)
        for candidate in candidates:
            row = self._person_rows.get(candidate.person_id) or self._person_rows.get(candidate.other_id) or 0
            other = candidate.other_id if candidate.person_id in self._person_rows else candidate.person_id
            self.tally.duplicates.append({"row": row, "person_id": str(other), "score": round(candidate.score, 3)})
        if not self.dry_run:
            candidates_record(organisation=self.organisation, candidates=candidates)

    def _audit(self, new: dict[type[models.Model], list[Any]], updated: dict[type[models.Model], list[Any]]) -> None:
        """One entry per model and batch naming every id created and updated (ids only)."""
        for model in AUDITED:
            created_ids = [str(instance.pk) for instance in new[model]]
            updated_ids = [str(pk) for pk in updated.get(model, [])]
            if created_ids or updated_ids:
                record(
                    actor=self.actor,
                    action="import.write",
                    organisation=self.organisation_id,
                    details={
                        "run": self.run_id,
                        "model": model._meta.label_lower,
                        "created": created_ids,
                        "updated": updated_ids,
                    },
                )
