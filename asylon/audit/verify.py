"""Verification of the audit chain: which entry was modified, deleted, moved or inserted, and whether
the tail was cut off since a signed checkpoint.

Every entry's hash covers its own sequence and its predecessor's hash. An entry whose content
still matches its hash stands where its sequence says; one that does not is placed by the link
its successor or predecessor holds. From those positions:

- **modified**: an entry in the chain whose content no longer matches its hash, or whose hash was
  recomputed so that its successor no longer links to it;
- **deleted**: a position between 1 and the last one that no entry occupies;
- **reordered**: entries whose positions, read in stored order, go backwards;
- **inserted**: an entry that fits nowhere (matches no hash and no link), a second entry claiming
  a position another entry holds in the chain, or an entry beyond the chain head;
- **truncated**: the log ends before the chain head or a signed checkpoint's sequence, or the
  entry there has another hash than the one signed;
- **renumbered**: entries moved as a block without changing their order (after a deletion or
  insertion that was hidden by renumbering);
- **checkpoint**: a checkpoint whose signature does not verify under the known public keys.

A clean chain is checked in one streaming pass; the full analysis (which holds the sequence and
two hashes of every entry in memory) runs only when that pass finds something.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction

from asylon.audit.chain import GENESIS_HASH, HASHED_FIELDS, entry_digest
from asylon.audit.checkpoints import document_from_row, signature_valid
from asylon.audit.models import AuditEntry, ChainHead, Checkpoint
from asylon.audit.signing import PublicKey

CHUNK = 5000
SEARCH_WINDOW = 64  # how far from its stored sequence an unlinked entry is looked for
COLUMNS = (*HASHED_FIELDS, "entry_hash")


@dataclass(frozen=True)
class Finding:
    kind: str
    sequence: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.message}"


@dataclass
class Result:
    entries: int = 0
    last_sequence: int = 0
    checkpoints_checked: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    def kinds(self) -> set[str]:
        return {finding.kind for finding in self.findings}


@dataclass
class _Row:
    stored: int
    previous: str
    digest: str
    intact: bool
    position: int | None = None
    content_matches: bool = True
    done: bool = False


def _rows() -> Any:
    return AuditEntry.objects.order_by("sequence").values(*COLUMNS).iterator(chunk_size=CHUNK)


def _fast_scan() -> tuple[bool, int, int, str]:
    """One pass without memory: (clean, count, last sequence, last hash)."""
    count, expected_sequence, previous = 0, 1, GENESIS_HASH
    for values in _rows():
        if (
            values["sequence"] != expected_sequence
            or values["previous_hash"] != previous
            or entry_digest(values) != values["entry_hash"]
        ):
            return False, 0, 0, ""
        count += 1
        expected_sequence += 1
        previous = values["entry_hash"]
    return True, count, expected_sequence - 1, previous


def _ranges(numbers: list[int]) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    for number in sorted(numbers):
        if ranges and number == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], number)
        else:
            ranges.append((number, number))
    return ranges


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


class _Analysis:
    """The full analysis of a chain that failed the fast scan."""

    def __init__(self) -> None:
        self.rows: list[_Row] = []
        self.contents: dict[int, dict[str, Any]] = {}
        for values in _rows():
            intact = entry_digest(values) == values["entry_hash"]
            self.rows.append(_Row(values["sequence"], values["previous_hash"], values["entry_hash"], intact))
            if not intact:
                self.contents[values["sequence"]] = values
        self.by_digest: dict[str, int] = {}
        for index, row in enumerate(self.rows):
            self.by_digest.setdefault(row.digest, index)
        self.linked_to = {row.previous for row in self.rows}
        self.roots: set[int] = set()
        for index in range(len(self.rows)):
            self._place(index)

    def _place(self, index: int) -> None:
        """Give a row its position: its own sequence if its hash says so, else one after its predecessor's."""
        waiting: list[int] = []  # rows whose predecessor must be placed first
        current = index
        while True:
            row = self.rows[current]
            if row.done or row.intact or row.previous == GENESIS_HASH:
                break
            predecessor = self.by_digest.get(row.previous)
            if predecessor is None or predecessor == current or predecessor in waiting:
                break
            waiting.append(current)
            current = predecessor
        self._place_first(current)
        for waiting_index in reversed(waiting):
            row = self.rows[waiting_index]
            predecessor_position = self.rows[self.by_digest[row.previous]].position
            if predecessor_position is None:
                self._search(row)
            else:
                self._settle(row, predecessor_position + 1)

    def _place_first(self, index: int) -> None:
        row = self.rows[index]
        if row.done:
            return
        if row.intact:
            row.position, row.done = row.stored, True
            if row.previous != GENESIS_HASH and row.previous not in self.by_digest:
                self.roots.add(index)
        elif row.previous == GENESIS_HASH:
            self._settle(row, 1)
        else:
            self._search(row)

    def _settle(self, row: _Row, position: int) -> None:
        row.position, row.done = position, True
        row.content_matches = entry_digest(self.contents[row.stored], sequence=position) == row.digest

    def _search(self, row: _Row) -> None:
        """An entry whose predecessor is unknown: look for the position its hash was made at."""
        values = self.contents[row.stored]
        row.done = True
        for offset in range(1, SEARCH_WINDOW + 1):
            for candidate in (row.stored - offset, row.stored + offset):
                if candidate > 0 and entry_digest(values, sequence=candidate) == row.digest:
                    row.position = candidate
                    return
        row.position = None  # fits nowhere

    def findings(self, head: ChainHead | None) -> list[Finding]:
        found: list[Finding] = []
        by_position: dict[int, list[_Row]] = defaultdict(list)
        for row in self.rows:
            if row.position is None:
                found.append(
                    Finding("inserted", row.stored, f"entry {row.stored} matches no hash and links to no entry")
                )
            else:
                by_position[row.position].append(row)
        placed: dict[int, _Row] = {}
        for position, rows in sorted(by_position.items()):
            chained = [row for row in rows if row.digest in self.linked_to]
            keep = chained[0] if len(chained) == 1 else next((r for r in rows if r.content_matches), rows[0])
            if head is not None and position == head.sequence:
                keep = next((r for r in rows if r.digest == head.entry_hash), keep)
            placed[position] = keep
            for row in rows:
                if row is not keep:
                    found.append(
                        Finding(
                            "inserted",
                            row.stored,
                            f"entry stored at {row.stored} claims position {position}, "
                            f"which entry {keep.stored} holds in the chain",
                        )
                    )
        for position, row in placed.items():
            if not row.content_matches:
                found.append(Finding("modified", position, f"entry {position} does not match its hash"))
        for index in self.roots:
            row = self.rows[index]
            predecessor = placed.get(row.position - 1) if row.position else None
            if predecessor is not None and predecessor.content_matches:
                found.append(
                    Finding(
                        "modified",
                        predecessor.position,
                        f"entry {predecessor.position} was rewritten with a new hash: "
                        f"entry {row.position} still links to the original",
                    )
                )
        last = max(placed, default=0)
        missing = [position for position in range(1, last + 1) if position not in placed]
        for first, final in _ranges(missing):
            found.append(Finding("deleted", first, f"entry {_span(first, final)} is missing"))
        found.extend(self._order_findings(placed))
        if head is not None:
            beyond = [position for position in placed if position > head.sequence]
            for first, final in _ranges(beyond):
                found.append(
                    Finding(
                        "inserted", first, f"entry {_span(first, final)} lies beyond the chain head {head.sequence}"
                    )
                )
            if last < head.sequence:
                found.append(
                    Finding("truncated", last + 1, f"the log ends at {last} but the chain head is at {head.sequence}")
                )
            elif head.sequence and placed.get(head.sequence) and placed[head.sequence].digest != head.entry_hash:
                found.append(
                    Finding("modified", head.sequence, f"entry {head.sequence} differs from the chain head's hash")
                )
        self.placed = placed
        return found

    def _order_findings(self, placed: dict[int, _Row]) -> list[Finding]:
        kept = {id(row) for row in placed.values()}
        in_order = [row for row in self.rows if id(row) in kept]
        positions = [row.position or 0 for row in in_order]
        prefix_max: list[int] = []
        suffix_min: list[int | None] = []
        highest = 0
        for position in positions:
            prefix_max.append(highest)
            highest = max(highest, position)
        lowest = None
        for position in reversed(positions):
            suffix_min.append(lowest)
            lowest = position if lowest is None else min(lowest, position)
        suffix_min.reverse()
        found, renumbered = [], []
        for row, before, after in zip(in_order, prefix_max, suffix_min, strict=True):
            position = row.position or 0
            out_of_order = position < before or (after is not None and position > after)
            if out_of_order and position != row.stored:
                found.append(
                    Finding("reordered", position, f"entry {position} is stored out of order, at sequence {row.stored}")
                )
            elif position != row.stored:
                renumbered.append(row)
        if renumbered:
            first, final = renumbered[0], renumbered[-1]
            found.append(
                Finding(
                    "renumbered",
                    first.position,
                    f"{len(renumbered)} entries ({first.position}–{final.position}) are stored under other "
                    f"sequence numbers ({first.stored}–{final.stored})",
                )
            )
        return found


def _checkpoint_findings(
    documents: list[tuple[str, dict[str, Any]]], public_keys: list[PublicKey], hash_at: dict[int, str], last: int
) -> tuple[int, list[Finding]]:
    found: list[Finding] = []
    valid: list[tuple[str, dict[str, Any]]] = []
    for origin, document in documents:
        if signature_valid(document, public_keys):
            valid.append((origin, document))
        else:
            found.append(
                Finding(
                    "checkpoint",
                    int(document.get("sequence", 0)),
                    f"checkpoint {origin} (sequence {document.get('sequence')}) is not signed by a known key "
                    f"(key id {document.get('key_id')})",
                )
            )
    for origin, document in valid:
        sequence, count = int(document["sequence"]), int(document["entry_count"])
        if sequence > last:
            found.append(
                Finding(
                    "truncated",
                    last + 1,
                    f"the log ends at {last}, but checkpoint {origin} signed {count} entries up to {sequence}",
                )
            )
        elif sequence and hash_at.get(sequence) != document["head_hash"]:
            found.append(
                Finding(
                    "modified",
                    sequence,
                    f"entry {sequence} has another hash than checkpoint {origin} signed (the chain was rewritten)",
                )
            )
    return len(documents), found


def verify_chain(*, documents: list[tuple[str, dict[str, Any]]] = (), public_keys: list[PublicKey]) -> Result:  # type: ignore[assignment]
    """Recompute the chain and compare it with the chain head and with every checkpoint given and stored."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:  # one snapshot: writers may go on appending meanwhile
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        head = ChainHead.objects.filter(pk=ChainHead.SINGLETON).first()
        stored = [(f"#{row.sequence} (stored)", document_from_row(row)) for row in Checkpoint.objects.all()]
        all_documents = [*stored, *documents]
        clean, count, last, last_hash = _fast_scan()
        result = Result()
        if clean:
            result.entries, result.last_sequence = count, last
            hash_at = {last: last_hash}
            wanted = {int(document["sequence"]) for _, document in all_documents} - {last}
            hash_at.update(AuditEntry.objects.filter(sequence__in=wanted).values_list("sequence", "entry_hash"))
            if head is not None and (head.sequence != last or (last and head.entry_hash != last_hash)):
                if head.sequence > last:
                    result.findings.append(
                        Finding(
                            "truncated", last + 1, f"the log ends at {last} but the chain head is at {head.sequence}"
                        )
                    )
                else:
                    result.findings.append(
                        Finding("inserted", head.sequence + 1, f"entries beyond the chain head {head.sequence}")
                    )
        else:
            analysis = _Analysis()
            result.findings.extend(analysis.findings(head))
            result.entries = len(analysis.rows)
            result.last_sequence = max(analysis.placed, default=0)
            last = result.last_sequence
            hash_at = {position: row.digest for position, row in analysis.placed.items()}
        checked, found = _checkpoint_findings(all_documents, public_keys, hash_at, last)
        result.checkpoints_checked = checked
        result.findings.extend(found)
    return result
