import datetime
import itertools

import pytest

from asylon.people.duplicates import candidates_among, candidates_record
from asylon.people.lookups import lookups_refresh
from asylon.people.models import DuplicateCandidate, DuplicateStatus
from tests.factories import person_on_case

SPELLINGS = [
    ("Сяргей", "Іваноў"),
    ("Сергей", "Иванов"),
    ("Сергій", "Іванов"),
    ("Siarhei", "Ivanou"),
    ("Sergei", "Ivanov"),
    ("Serhii", "Ivanov"),
]


def saved(case, **fields):
    person = person_on_case(case, **fields)
    lookups_refresh(person)
    return person


def pairs(candidates):
    return {frozenset((candidate.person_id, candidate.other_id)) for candidate in candidates}


def test_every_spelling_is_a_candidate_of_every_other(case):
    persons = [saved(case, given_name=given, family_name=family, birth_year=1990) for given, family in SPELLINGS]

    found = candidates_among(organisation=case.organisation, persons=persons)

    expected = {frozenset(pair) for pair in itertools.combinations([person.pk for person in persons], 2)}
    assert pairs(found) == expected
    assert all("name" in candidate.reasons and "birth_year" in candidate.reasons for candidate in found)
    assert all(0.7 < candidate.score <= 1 for candidate in found)


@pytest.mark.parametrize("given, family", SPELLINGS[1:])
def test_new_person_finds_existing_spelling(case, given, family):
    existing = saved(case, given_name="Сяргей", family_name="Іваноў", birth_date=datetime.date(1990, 3, 4))
    new = saved(case, given_name=given, family_name=family, birth_year=1990)

    [candidate] = candidates_among(organisation=case.organisation, persons=[new])

    assert {candidate.person_id, candidate.other_id} == {existing.pk, new.pk}


def test_different_birth_years_are_not_candidates(case):
    existing = saved(case, given_name="Сяргей", family_name="Іваноў", birth_year=1990)
    new = saved(case, given_name="Sergei", family_name="Ivanov", birth_year=1991)

    assert candidates_among(organisation=case.organisation, persons=[new, existing]) == []


def test_different_family_names_are_not_candidates(case):
    saved(case, given_name="Сяргей", family_name="Іваноў", birth_year=1990)
    new = saved(case, given_name="Sergei", family_name="Petrov", birth_year=1990)

    assert candidates_among(organisation=case.organisation, persons=[new]) == []


def test_given_name_must_meet_too(case):
    saved(case, given_name="Сяргей", family_name="Іваноў", birth_year=1990)
    new = saved(case, given_name="Dmitry", family_name="Ivanov", birth_year=1990)

    assert candidates_among(organisation=case.organisation, persons=[new]) == []


def test_unknown_birth_year_on_one_side_is_a_weaker_candidate(case):
    dated = saved(
        case, given_name="Сяргей", family_name="Іваноў", birth_date=datetime.date(1990, 3, 4), birth_year=1990
    )
    undated = saved(case, given_name="Sergei", family_name="Ivanov")
    same_day = saved(
        case, given_name="Siarhei", family_name="Ivanou", birth_date=datetime.date(1990, 3, 4), birth_year=1990
    )

    by_pair = {
        frozenset((c.person_id, c.other_id)): c
        for c in candidates_among(organisation=case.organisation, persons=[dated, undated, same_day])
    }

    strong = by_pair[frozenset((dated.pk, same_day.pk))]
    weak = by_pair[frozenset((dated.pk, undated.pk))]
    assert "birth_date" in strong.reasons
    assert not {"birth_date", "birth_year"} & set(weak.reasons)
    assert strong.score > weak.score


def test_identifier_match_is_strong_even_when_names_differ(case):
    first = saved(case, given_name="Anna", family_name="Smirnova", identifiers=[{"number": "MP 1234567"}])
    second = saved(case, given_name="Hanna", family_name="Kowalska", identifiers=[{"number": "мр1234567"}])

    [candidate] = candidates_among(organisation=case.organisation, persons=[second])

    assert {candidate.person_id, candidate.other_id} == {first.pk, second.pk}
    assert candidate.reasons == ("identifier",)
    assert candidate.score >= 0.9


def test_other_organisation_is_never_searched(case, outsider):
    from tests.factories import case_with_member

    foreign_case = case_with_member(outsider.memberships.first().organisation, outsider)
    saved(foreign_case, given_name="Сяргей", family_name="Іваноў", birth_year=1990)
    new = saved(case, given_name="Sergei", family_name="Ivanov", birth_year=1990)

    assert candidates_among(organisation=case.organisation, persons=[new]) == []


def test_reasons_are_codes_without_personal_values(case):
    saved(case, given_name="Сяргей", family_name="Іваноў", patronymic="Пятровіч", birth_year=1990)
    new = saved(case, given_name="Sergei", family_name="Ivanov", patronymic="Petrovich", birth_year=1990)

    [candidate] = candidates_among(organisation=case.organisation, persons=[new])

    assert set(candidate.reasons) <= {"name", "patronymic", "birth_date", "birth_year", "identifier"}
    assert "patronymic" in candidate.reasons


def test_batch_of_a_thousand_takes_a_few_queries(case, django_assert_max_num_queries):
    from asylon.cases.models import CaseParty
    from asylon.people.lookups import lookup_rows
    from asylon.people.models import Person, PersonLookup

    def word(n):  # digits split name words, so numbers are spelt in letters
        return "".join("bdfklmnprst"[int(digit)] + "aeiou"[int(digit) % 5] for digit in f"{n:03d}")

    persons = [
        Person(
            organisation=case.organisation,
            given_name=["Anna", "Sergei", "Olga", "Dmitry", "Maria"][n % 5],
            family_name=f"Ka{word(n % 400)}",
            birth_year=1980 + n % 30,
        )
        for n in range(999)
    ]
    Person.objects.bulk_create(persons)
    CaseParty.objects.bulk_create(CaseParty(organisation=case.organisation, case=case, person=p) for p in persons)
    PersonLookup.objects.bulk_create([row for person in persons for row in lookup_rows(person)])
    twin = saved(case, given_name="Anna", family_name=persons[0].family_name, birth_year=1980)

    # A batch of 1,000: the name pairs (two queries on PostgreSQL), years of birth, the pairs to score
    # (and document numbers, which these persons have none of).
    with django_assert_max_num_queries(5):
        found = candidates_among(organisation=case.organisation, persons=[*persons, twin])

    assert frozenset((persons[0].pk, twin.pk)) in pairs(found)


def test_record_skips_known_pairs_and_dismissed_are_not_proposed_again(case):
    first = saved(case, given_name="Сяргей", family_name="Іваноў", birth_year=1990)
    second = saved(case, given_name="Sergei", family_name="Ivanov", birth_year=1990)
    found = candidates_among(organisation=case.organisation, persons=[first, second])

    assert candidates_record(organisation=case.organisation, candidates=found) == 1
    row = DuplicateCandidate.objects.get()
    assert row.person_id < row.other_id
    row.status = DuplicateStatus.DISMISSED
    row.save()

    again = candidates_among(organisation=case.organisation, persons=[second])
    assert candidates_record(organisation=case.organisation, candidates=again) == 0
    assert DuplicateCandidate.objects.get().status == DuplicateStatus.DISMISSED
