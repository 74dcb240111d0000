"""Writes of the duplicates workflow: scanning an organisation for candidates, dismissing a candidate,
and merging two records of one person. Each function authorises, validates, writes and appends its
audit entry in one transaction. See docs/duplicates.md."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from auditlog.context import disable_auditlog
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from asylon.accounts.permissions import require
from asylon.audit import services as audit
from asylon.cases.models import CaseParty, Event, StatusPeriod
from asylon.evidence.models import Document
from asylon.people.duplicates import SCORED_FIELDS, candidates_among, candidates_record
from asylon.people.lookups import lookups_refresh
from asylon.people.models import (
    ConsentRecord,
    DuplicateCandidate,
    DuplicateStatus,
    MilitaryServicePeriod,
    Person,
    PersonTombstone,
    Relationship,
    TombstoneReason,
)
from asylon.people.selectors import persons_visible_to
from asylon.people.services import PERSON_FIELDS, _derive_birth_year, _require_clearance

SCAN_BATCH = 1000
NAME_FIELDS = ("given_name", "family_name", "patronymic")
# Lists keep the items of both records unless the user chose one side.
LIST_FIELDS = frozenset(
    {"identifiers", "contacts", "addresses", "other_citizenships", "languages", "vulnerabilities", "military_status"}
)
# A flag set on either record stays set: it records something declared or established.
FLAG_FIELDS = frozenset({"objection_declared", "draft_evader", "deserter"})
# Values that mean "nothing recorded" for fields with a default.
EMPTY_DEFAULTS = {"sex": "unknown", "military_service_category": "unknown", "dependants": 0}
# Fields the compare page offers a choice for; other spellings always gather both records' names.
CHOOSABLE_FIELDS = frozenset(PERSON_FIELDS - {"name_variants", "birth_year"})
SIDES = ("survivor", "merged")


@transaction.atomic
def duplicates_scan(*, actor: Any, organisation: Any) -> int:
    """Look for duplicate candidates among all persons of an organisation, in batches; returns how many
    new candidate pairs were recorded (pairs already decided are not proposed again)."""
    require(actor, "people.add_person", organisation)
    persons = Person.objects.filter(organisation=organisation).only(*SCORED_FIELDS).order_by("pk")
    scanned = recorded = 0
    last = None
    while True:
        # Keyset pagination: each batch is a few queries however large the organisation is.
        batch = list((persons.filter(pk__gt=last) if last else persons)[:SCAN_BATCH])
        if not batch:
            break
        found = candidates_among(organisation=organisation, persons=batch)
        recorded += candidates_record(organisation=organisation, candidates=found)
        scanned += len(batch)
        last = batch[-1].pk
    audit.record(
        actor=actor,
        action="person.duplicates_scan",
        organisation=organisation,
        details={"persons": scanned, "new_candidates": recorded},
    )
    return recorded


def _require_both(actor: Any, *persons: Person) -> None:
    """The actor may merge (write) each person, and may see each: a merge never reaches beyond need-to-know."""
    for person in persons:
        require(actor, "people.merge_person", person)
    ids = [person.pk for person in persons]
    if persons_visible_to(actor).filter(pk__in=ids).count() != len(set(ids)):
        raise PermissionDenied("people.merge_person")


@transaction.atomic
def duplicate_dismiss(*, actor: Any, candidate: DuplicateCandidate) -> DuplicateCandidate:
    """Record that two candidate records are not the same person; the pair is never proposed again."""
    if candidate.other is None:
        raise ValidationError({"candidate": _("This candidate was already merged.")})
    _require_both(actor, candidate.person, candidate.other)
    if candidate.status != DuplicateStatus.OPEN:
        raise ValidationError({"candidate": _("This candidate was already decided.")})
    candidate.status = DuplicateStatus.DISMISSED
    candidate.decided_by = actor
    candidate.decided_at = timezone.now()
    candidate.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    audit.record(
        actor=actor,
        action="person.duplicate_dismiss",
        target=candidate,
        details={"person_id": str(candidate.person_id), "other_id": str(candidate.other_id)},
    )
    return candidate


@transaction.atomic
def duplicate_propose(*, actor: Any, person: Person, other: Person) -> DuplicateCandidate:
    """Record for review a pair the person page found (it computes candidates without writing); the
    pair must still be a candidate. Returns the recorded pair, open or already decided."""
    _require_both(actor, person, other)
    first, second = sorted([person.pk, other.pk])
    existing = DuplicateCandidate.objects.filter(person_id=first, other_id=second).first()
    if existing is not None:
        return existing
    found = [
        c
        for c in candidates_among(organisation=person.organisation, persons=[person])
        if other.pk in (c.person_id, c.other_id)
    ]
    if not found:
        raise ValidationError({"other": _("These records are not duplicate candidates.")})
    candidates_record(organisation=person.organisation, candidates=found)
    candidate = DuplicateCandidate.objects.get(person_id=first, other_id=second)
    audit.record(
        actor=actor,
        action="person.duplicate_propose",
        target=candidate,
        details={"person_id": str(first), "other_id": str(second), "reasons": list(candidate.reasons)},
    )
    return candidate


def _empty(name: str, value: Any) -> bool:
    return value in (None, "", [], {}) or (name in EMPTY_DEFAULTS and value == EMPTY_DEFAULTS[name])


def _union(first: Any, second: Any) -> list[Any]:
    """Items of both lists, each once, in order (items may be dicts, so no set)."""
    result: list[Any] = []
    for item in [*(first or []), *(second or [])]:
        if item not in result:
            result.append(item)
    return result


def _name_of(person: Person) -> dict[str, str]:
    return {field: getattr(person, field) or "" for field in NAME_FIELDS}


def _variant(name: dict[str, str]) -> dict[str, str]:
    """A name as an other spelling (the shape the person form writes: given, family, patronymic)."""
    keys = {"given_name": "given", "family_name": "family", "patronymic": "patronymic"}
    return {keys[field]: value for field, value in name.items() if value}


def _check_choices(field_choices: Mapping[str, str]) -> None:
    errors = {
        name: _("Choose which record's value to keep.")
        for name, side in field_choices.items()
        if name not in CHOOSABLE_FIELDS or side not in SIDES
    }
    if errors:
        raise ValidationError(errors)


def _merged_values(survivor: Person, merged: Person, field_choices: Mapping[str, str]) -> dict[str, Any]:
    """The survivor's new field values: as chosen, else lists joined, flags kept, empty fields filled."""
    values: dict[str, Any] = {}
    for name in sorted(CHOOSABLE_FIELDS):
        mine, theirs = getattr(survivor, name), getattr(merged, name)
        side = field_choices.get(name)
        if side == "merged":
            value = theirs
        elif side == "survivor":
            value = mine
        elif name in LIST_FIELDS:
            value = _union(mine, theirs)
        elif name in FLAG_FIELDS:
            value = bool(mine or theirs)
        elif (
            name == "birth_date"
            and mine is None
            and theirs is not None
            and survivor.birth_year not in (None, theirs.year)
        ):
            value = mine  # a date from another year would overrule the survivor's year: only a choice does that
        else:
            value = theirs if _empty(name, mine) else mine
        if value != mine:
            values[name] = value
    if "birth_date" in values:
        values["birth_year"] = None  # follows the date taken (derived again before saving)
    elif _empty("birth_year", survivor.birth_year) and survivor.birth_date is None and merged.birth_year:
        values["birth_year"] = merged.birth_year
    names = [_name_of(survivor), _name_of(merged)]
    kept = {field: values.get(field, getattr(survivor, field)) or "" for field in NAME_FIELDS}
    spellings = [_variant(name) for name in names if name != kept and any(name.values())]
    variants = _union(_union(survivor.name_variants, merged.name_variants), spellings)
    if variants != (survivor.name_variants or []):
        values["name_variants"] = variants
    return values


def _move_parties(survivor: Person, merged: Person) -> int:
    """Case parties move; in a case both are party to, the survivor's row (and role) stays."""
    shared = CaseParty.objects.filter(person=survivor).values("case_id")
    CaseParty.objects.filter(person=merged, case_id__in=shared).delete()
    return CaseParty.objects.filter(person=merged).update(person=survivor)


def _move_relationships(survivor: Person, merged: Person) -> int:
    """Relationships in both directions move; one between the two records would be a self-relation, so it goes."""
    pair = [survivor.pk, merged.pk]
    Relationship.objects.filter(person_id__in=pair, relative_id__in=pair).delete()
    moved = Relationship.objects.filter(person=merged).update(person=survivor)
    return moved + Relationship.objects.filter(relative=merged).update(relative=survivor)


def _retarget_candidates(actor: Any, survivor: Person, merged: Person) -> None:
    """The merged pair is closed (kept without the merged id); other pairs of the merged record now
    name the survivor, unless the survivor already has that pair."""
    now = timezone.now()
    rows = DuplicateCandidate.objects.select_for_update().filter(Q(person=merged) | Q(other=merged))
    for row in rows:
        partner = row.other_id if row.person_id == merged.pk else row.person_id
        if partner is None:  # the merged record had itself absorbed another: that history stays, on the survivor
            row.person = survivor
            row.save(update_fields=["person", "updated_at"])
            continue
        if partner == survivor.pk:
            row.person, row.other = survivor, None
            row.status, row.decided_by, row.decided_at = DuplicateStatus.MERGED, actor, now
            row.save()
            continue
        first, second = sorted([survivor.pk, partner])
        if DuplicateCandidate.objects.filter(person_id=first, other_id=second).exists():
            row.delete()
        else:
            row.person_id, row.other_id = first, second
            row.save(update_fields=["person", "other", "updated_at"])


@transaction.atomic
def persons_merge(
    *, actor: Any, survivor: Person, merged: Person, field_choices: Mapping[str, str] | None = None
) -> Person:
    """Merge `merged` into `survivor`: every record of both stays, on the survivor; the merged row is
    deleted and its id resolves through a tombstone. `field_choices` maps a field to "survivor" or
    "merged" where the user chose; other fields keep the survivor's value or fill it when empty."""
    choices = dict(field_choices or {})
    _require_both(actor, survivor, merged)
    if survivor.pk == merged.pk:
        raise ValidationError({"merged": _("A record cannot be merged with itself.")})
    if survivor.organisation_id != merged.organisation_id:
        raise ValidationError({"merged": _("Records of different organisations cannot be merged.")})
    _check_choices(choices)
    # Taking a value the actor may not read would be writing blind; the compare page never offers it.
    _require_clearance(actor, survivor, [name for name, side in choices.items() if side == "merged"])
    survivor = Person.objects.select_for_update().get(pk=survivor.pk)
    merged = Person.objects.select_for_update().get(pk=merged.pk)
    values = _merged_values(survivor, merged, choices)
    for name, value in values.items():
        setattr(survivor, name, value)
    _derive_birth_year(survivor)
    survivor.full_clean()

    # One entry for the whole merge: the per-row changes it makes are not captured separately.
    with disable_auditlog():
        moved = {
            "case_parties": _move_parties(survivor, merged),
            "events": Event.objects.filter(person=merged).update(person=survivor),
            "status_periods": StatusPeriod.objects.filter(person=merged).update(person=survivor),
            "documents": Document.objects.filter(person=merged).update(person=survivor),
            "service_periods": MilitaryServicePeriod.objects.filter(person=merged).update(person=survivor),
            "consents": ConsentRecord.objects.filter(person=merged).update(person=survivor),
            "relationships": _move_relationships(survivor, merged),
        }
        _retarget_candidates(actor, survivor, merged)
        survivor.save()  # encrypted fields are sealed again under the survivor's binding
        merged_id = merged.pk
        merged.delete()
        lookups_refresh(survivor)
        # Earlier tombstones that led to the merged record lead to the survivor now.
        PersonTombstone.objects.filter(successor_id=merged_id).update(successor_id=survivor.pk)
        PersonTombstone.objects.create(
            organisation_id=survivor.organisation_id,
            former_person_id=merged_id,
            reason=TombstoneReason.MERGED,
            successor_id=survivor.pk,
        )
    audit.record(
        actor=actor,
        action="person.merge",
        target=survivor,
        changed_fields=sorted(values),
        details={"merged_person_id": str(merged_id), "survivor_id": str(survivor.pk), "moved": moved},
    )
    return survivor
