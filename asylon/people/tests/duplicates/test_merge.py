import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from asylon.audit.models import AuditEntry
from asylon.audit.verify import verify_chain
from asylon.cases.models import CaseParty, Event, Note, StatusPeriod
from asylon.evidence.models import Document, Source
from asylon.people.duplicates import candidates_among, candidates_record
from asylon.people.models import (
    ConsentRecord,
    DuplicateCandidate,
    DuplicateStatus,
    MilitaryServicePeriod,
    Person,
    PersonLookup,
    PersonTombstone,
    Relationship,
)
from asylon.people.selectors import persons_matching_name
from asylon.people.selectors_duplicates import person_successor
from asylon.people.services import consent_record, military_service_add, person_create, person_update
from asylon.people.services_merge import duplicate_dismiss, duplicates_scan, persons_merge
from tests.factories import case_with_member, event_on, staff, status_on


@pytest.fixture
def other_case(organisation, caseworker, lawyer):
    return case_with_member(organisation, caseworker, lawyer)


@pytest.fixture
def twins(case, other_case, caseworker):
    """The same man recorded twice: in Belarusian Cyrillic on one case, in passport Latin on another."""
    first = person_create(
        actor=caseworker,
        case=case,
        given_name="Сяргей",
        family_name="Іваноў",
        birth_date=datetime.date(1990, 3, 4),
        identifiers=[{"kind": "passport", "number": "MP1234567"}],
        languages=["be"],
    )
    second = person_create(
        actor=caseworker,
        case=other_case,
        given_name="Siarhei",
        family_name="Ivanou",
        patronymic="Piatrovich",
        birth_year=1990,
        contacts=[{"kind": "phone", "value": "+370 600 00000"}],
        languages=["ru"],
        religion="Orthodox",
    )
    return first, second


def with_records(person, case, actor):
    """Events, a status, a document, a source and a note on the case, consent, service and a relative."""
    event = event_on(case, person, "arrest", 2021, 5)
    source = Source.objects.create(organisation=case.organisation, title="Register")
    event.sources.add(source)
    status_on(case, person, "liberty", "detained", start=(2021, 5))
    Document.objects.create(
        organisation=case.organisation,
        case=case,
        person=person,
        filename="decision.pdf",
        sha256="ab" * 32,
        content_type="application/pdf",
        size=10,
        blob_name=uuid.uuid4().hex,
    )
    Note.objects.create(organisation=case.organisation, case=case, author=actor, body="note")
    consent_record(actor=actor, person=person, purpose="casework", given_on=datetime.date(2024, 1, 1))
    military_service_add(actor=actor, person=person, service_type="conscript", start_year=2008, end_year=2009)


def counts(*persons):
    ids = [person.pk for person in persons]
    return {
        "events": Event.objects.filter(person_id__in=ids).count(),
        "statuses": StatusPeriod.objects.filter(person_id__in=ids).count(),
        "documents": Document.objects.filter(person_id__in=ids).count(),
        "consents": ConsentRecord.objects.filter(person_id__in=ids).count(),
        "service": MilitaryServicePeriod.objects.filter(person_id__in=ids).count(),
        "sources": Source.objects.filter(events__person_id__in=ids).count(),
        "notes": Note.objects.count(),
    }


def test_merge_keeps_every_record_of_both(twins, case, other_case, caseworker):
    first, second = twins
    with_records(first, case, caseworker)
    with_records(second, other_case, caseworker)
    before = counts(first, second)

    survivor = persons_merge(actor=caseworker, survivor=first, merged=second)

    assert counts(survivor) == before
    assert before["events"] == 2 and before["documents"] == 2
    assert set(CaseParty.objects.filter(person=survivor).values_list("case_id", flat=True)) == {case.pk, other_case.pk}
    assert not Person.objects.filter(pk=second.pk).exists()


def test_fields_filled_lists_joined_names_kept_as_spellings(twins, caseworker):
    first, second = twins

    survivor = Person.objects.get(pk=persons_merge(actor=caseworker, survivor=first, merged=second).pk)

    assert survivor.given_name == "Сяргей" and survivor.family_name == "Іваноў"
    assert survivor.patronymic == "Piatrovich"  # empty on the survivor: filled
    assert survivor.religion == "Orthodox"
    assert survivor.birth_date == datetime.date(1990, 3, 4) and survivor.birth_year == 1990
    assert survivor.languages == ["be", "ru"]
    assert survivor.contacts == [{"kind": "phone", "value": "+370 600 00000"}]
    assert {"given": "Siarhei", "family": "Ivanou", "patronymic": "Piatrovich"} in survivor.name_variants


def test_field_choices_take_the_merged_value_and_the_old_name_becomes_a_spelling(twins, caseworker):
    first, second = twins

    survivor = persons_merge(
        actor=caseworker,
        survivor=first,
        merged=second,
        field_choices={"given_name": "merged", "family_name": "merged", "languages": "survivor"},
    )

    survivor = Person.objects.get(pk=survivor.pk)
    assert (survivor.given_name, survivor.family_name) == ("Siarhei", "Ivanou")
    assert survivor.languages == ["be"]
    assert {"given": "Сяргей", "family": "Іваноў"} in survivor.name_variants


def test_unknown_field_choice_is_refused_naming_the_field(twins, caseworker):
    first, second = twins

    with pytest.raises(ValidationError) as refused:
        persons_merge(actor=caseworker, survivor=first, merged=second, field_choices={"nonsense": "merged"})

    assert "nonsense" in refused.value.message_dict
    assert Person.objects.filter(pk=second.pk).exists()


def test_blind_indexes_follow_and_the_merged_spelling_still_finds_the_survivor(twins, caseworker):
    first, second = twins

    survivor = persons_merge(actor=caseworker, survivor=first, merged=second)

    assert not PersonLookup.objects.filter(person_id=second.pk).exists()
    assert list(persons_matching_name(user=caseworker, text="Piatrovich")) == [survivor]


def test_tombstone_written_and_resolves_through_chains(twins, case, caseworker):
    first, second = twins
    third = person_create(actor=caseworker, case=case, given_name="Sergei", family_name="Ivanov", birth_year=1990)
    found = candidates_among(organisation=case.organisation, persons=[first, second, third])
    candidates_record(organisation=case.organisation, candidates=found)

    persons_merge(actor=caseworker, survivor=second, merged=first)
    persons_merge(actor=caseworker, survivor=third, merged=second)

    tombstone = PersonTombstone.objects.get(former_person_id=first.pk)
    assert tombstone.reason == "merged" and tombstone.successor_id == third.pk
    assert person_successor(user=caseworker, person_id=first.pk) == third
    assert person_successor(user=caseworker, person_id=second.pk) == third
    # Both merges' closed pairs now hang on the last survivor; no pair names a merged record.
    assert (
        list(DuplicateCandidate.objects.values_list("person_id", "other_id", "status"))
        == [(third.pk, None, DuplicateStatus.MERGED)] * 2
    )
    assert not DuplicateCandidate.objects.filter(person_id__in=[first.pk, second.pk]).exists()
    assert not DuplicateCandidate.objects.filter(other_id__in=[first.pk, second.pk]).exists()


def test_a_date_of_another_year_does_not_overrule_the_survivors_year(case, other_case, caseworker):
    survivor = person_create(actor=caseworker, case=case, given_name="Anna", family_name="Ivanova", birth_year=1991)
    merged = person_create(
        actor=caseworker,
        case=other_case,
        given_name="Hanna",
        family_name="Ivanova",
        birth_date=datetime.date(1990, 1, 2),
    )

    kept = Person.objects.get(pk=persons_merge(actor=caseworker, survivor=survivor, merged=merged).pk)
    assert (kept.birth_year, kept.birth_date) == (1991, None)


def test_successor_not_revealed_to_who_may_not_see_it(twins, caseworker, outsider):
    first, second = twins
    persons_merge(actor=caseworker, survivor=first, merged=second)

    with pytest.raises(Person.DoesNotExist):
        person_successor(user=outsider, person_id=second.pk)


def test_relationships_move_both_ways_and_one_between_the_two_is_dropped(twins, case, caseworker):
    first, second = twins
    mother = person_create(actor=caseworker, case=case, given_name="Ганна", family_name="Іванова")
    Relationship.objects.create(organisation=case.organisation, person=second, relative=mother, kind="parent")
    Relationship.objects.create(organisation=case.organisation, person=mother, relative=second, kind="child")
    Relationship.objects.create(organisation=case.organisation, person=first, relative=second, kind="sibling")

    survivor = persons_merge(actor=caseworker, survivor=first, merged=second)

    assert Relationship.objects.filter(person=survivor, relative=mother).count() == 1
    assert Relationship.objects.filter(person=mother, relative=survivor).count() == 1
    assert not Relationship.objects.filter(person=survivor, relative=survivor).exists()


def test_a_case_both_are_party_to_keeps_one_party_row(twins, case, caseworker):
    first, second = twins
    CaseParty.objects.create(organisation=case.organisation, case=case, person=second, role="relative")

    survivor = persons_merge(actor=caseworker, survivor=first, merged=second)

    assert CaseParty.objects.filter(case=case, person=survivor).get().role == "client"


def test_no_row_references_the_merged_id_but_the_tombstone_and_audit(twins, case, other_case, caseworker):
    first, second = twins
    with_records(second, other_case, caseworker)
    candidates_record(
        organisation=case.organisation, candidates=candidates_among(organisation=case.organisation, persons=[first])
    )
    merged_id = second.pk

    persons_merge(actor=caseworker, survivor=first, merged=second)

    # SQLite stores UUIDs as 32 hex digits, PostgreSQL with dashes; JSON and text columns hold the dashed form.
    patterns = [f"%{merged_id.hex}%", f"%{merged_id}%"]
    found = set()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            for column in connection.introspection.get_table_description(cursor, table):
                name = f"CAST({connection.ops.quote_name(column.name)} AS TEXT)"
                query = (
                    f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)} WHERE {name} LIKE %s OR {name} LIKE %s"
                )
                cursor.execute(query, patterns)
                if cursor.fetchone()[0]:
                    found.add((table, column.name))
    assert {table for table, _ in found} <= {"people_persontombstone", "audit_auditentry"}
    assert ("people_persontombstone", "former_person_id") in found


def test_one_audit_entry_and_earlier_entries_untouched(twins, caseworker):
    first, second = twins
    person_update(actor=caseworker, person=second, religion="Catholic")
    naming = lambda: [  # noqa: E731
        (entry.pk, entry.entry_hash, entry.target_id, entry.details, entry.changed_fields)
        for entry in AuditEntry.objects.filter(target_id=str(second.pk)).order_by("sequence")
    ]
    before, count = naming(), AuditEntry.objects.count()

    survivor = persons_merge(actor=caseworker, survivor=first, merged=second)

    assert naming() == before and len(before) == 2
    assert AuditEntry.objects.count() == count + 1
    entry = AuditEntry.objects.get(action="person.merge")
    assert entry.target_id == str(survivor.pk)
    assert entry.details["merged_person_id"] == str(second.pk)
    assert entry.details["moved"]["case_parties"] == 1
    assert "Siarhei" not in str(entry.details)
    assert verify_chain(public_keys=[]).ok


def test_candidates_closed_or_retargeted(twins, case, caseworker):
    first, second = twins
    third = person_create(actor=caseworker, case=case, given_name="Sergei", family_name="Ivanov", birth_year=1990)
    candidates_record(
        organisation=case.organisation,
        candidates=candidates_among(organisation=case.organisation, persons=[first, second, third]),
    )
    assert DuplicateCandidate.objects.count() == 3

    persons_merge(actor=caseworker, survivor=first, merged=second)

    closed = DuplicateCandidate.objects.get(status=DuplicateStatus.MERGED)
    assert closed.person_id == first.pk and closed.other_id is None and closed.decided_by == caseworker
    remaining = DuplicateCandidate.objects.get(status=DuplicateStatus.OPEN)
    assert {remaining.person_id, remaining.other_id} == {first.pk, third.pk}


def test_merge_needs_the_right_to_write_both(twins, organisation, case):
    first, second = twins
    member_of_one = staff(organisation)
    case.memberships.create(organisation=organisation, user=member_of_one)

    with pytest.raises(PermissionDenied):
        persons_merge(actor=member_of_one, survivor=first, merged=second)
    assert Person.objects.filter(pk=second.pk).exists()


def test_analyst_and_outsider_may_not_merge(twins, analyst, outsider):
    first, second = twins
    for actor in (analyst, outsider):
        with pytest.raises(PermissionDenied):
            persons_merge(actor=actor, survivor=first, merged=second)


def test_dismissed_pair_is_not_proposed_again_by_a_scan(twins, case, caseworker, org_admin):
    assert duplicates_scan(actor=org_admin, organisation=case.organisation) == 1
    candidate = DuplicateCandidate.objects.get()

    duplicate_dismiss(actor=caseworker, candidate=candidate)

    assert duplicates_scan(actor=org_admin, organisation=case.organisation) == 0
    candidate.refresh_from_db()
    assert candidate.status == DuplicateStatus.DISMISSED and candidate.decided_by == caseworker
    assert AuditEntry.objects.filter(action="person.duplicate_dismiss", target_id=str(candidate.pk)).exists()
    scan = AuditEntry.objects.filter(action="person.duplicates_scan").latest("sequence")
    assert scan.details == {"persons": 2, "new_candidates": 0}


def test_scan_needs_a_writer_role(case, analyst):
    with pytest.raises(PermissionDenied):
        duplicates_scan(actor=analyst, organisation=case.organisation)
