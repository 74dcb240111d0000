from collections import Counter

import pytest

from asylon.audit.models import AuditEntry
from asylon.cases.models import Case, Deadline, Decision, Event, StatusPeriod
from asylon.common.encrypted import encrypted_fields
from asylon.common.models import DatePrecision
from asylon.ops.synth import SeedAlreadyUsed, synthesise
from asylon.ops.synth.names import PASSPORT_SCHEME
from asylon.ops.tests.clear_data import clear_data, names_by_case
from asylon.ops.tests.conftest import PERSONS, SEED
from asylon.people.models import ConsentRecord, MilitaryServicePeriod, Person, PersonLookup, Relationship
from asylon.people.selectors import persons_matching_name
from asylon.vocab import codes
from tests.factories import OrganisationFactory


def test_the_same_seed_gives_the_same_clear_data_in_another_organisation(synthesised):
    first, _summary = synthesised
    second = OrganisationFactory()
    synthesise(organisation=second, persons=PERSONS, seed=SEED)

    assert clear_data(first) == clear_data(second)
    assert names_by_case(first) == names_by_case(second)
    assert not set(Person.objects.filter(organisation=first).values_list("pk", flat=True)) & set(
        Person.objects.filter(organisation=second).values_list("pk", flat=True)
    )


def test_another_seed_gives_other_data(synthesised):
    first, _summary = synthesised
    second = OrganisationFactory()
    synthesise(organisation=second, persons=PERSONS, seed=SEED + 1)

    mine, theirs = clear_data(first), clear_data(second)
    assert mine["persons"] != theirs["persons"]
    assert mine["events"] != theirs["events"]


def test_a_seed_cannot_be_loaded_twice_into_one_organisation(synthesised):
    organisation, _summary = synthesised
    with pytest.raises(SeedAlreadyUsed):
        synthesise(organisation=organisation, persons=5, seed=SEED)


def test_the_summary_counts_what_was_written(synthesised):
    organisation, summary = synthesised
    assert summary.persons == PERSONS
    assert summary.counts["people.Person"] == Person.objects.filter(organisation=organisation).count() == PERSONS
    assert summary.counts["cases.Case"] == Case.objects.filter(organisation=organisation).count() == PERSONS
    assert summary.counts["cases.Event"] == Event.objects.filter(organisation=organisation).count()
    assert summary.counts["people.PersonLookup"] == PersonLookup.objects.filter(organisation=organisation).count()
    assert summary.rows == sum(summary.counts.values())


def test_the_mix_follows_the_domain(synthesised):
    organisation, _summary = synthesised
    citizenships = Counter(Person.objects.filter(organisation=organisation).values_list("citizenship", flat=True))
    assert set(citizenships) <= {"BY", "RU", "UA"}
    assert citizenships.most_common(1)[0][0] == "BY"
    assert 0.6 <= citizenships["BY"] / PERSONS <= 0.9
    events = Event.objects.filter(organisation=organisation)
    assert 7 <= events.count() / PERSONS <= 13
    assert Person.objects.filter(organisation=organisation, sex="male").count() > PERSONS / 2


def test_codes_come_from_the_vocabularies(synthesised):
    organisation, _summary = synthesised
    event_vocabularies = set(
        Event.objects.filter(organisation=organisation).values_list("event_type__vocabulary__code", flat=True)
    )
    assert event_vocabularies <= {codes.EVENT_TYPE, codes.PROCEEDING_STEP}
    assert not Event.objects.filter(organisation=organisation, event_type__active=False).exists()
    decisions = Decision.objects.filter(organisation=organisation)
    assert set(decisions.values_list("decision_type__vocabulary__code", flat=True)) == {codes.DECISION_TYPE}
    assert set(decisions.values_list("decision_maker__vocabulary__code", flat=True)) == {codes.DECISION_MAKER}
    assert set(decisions.exclude(outcome=None).values_list("outcome__vocabulary__code", flat=True)) == {
        codes.DECISION_OUTCOME
    }
    assert set(decisions.filter(grounds__isnull=False).values_list("grounds__vocabulary__code", flat=True)) == {
        codes.GROUNDS
    }
    perpetrators = set(
        Event.objects.filter(organisation=organisation)
        .exclude(perpetrator=None)
        .values_list("perpetrator__vocabulary__code", flat=True)
    )
    assert perpetrators == {codes.DECISION_MAKER}


def test_dates_are_known_to_the_day_month_or_year(synthesised):
    organisation, _summary = synthesised
    events = list(Event.objects.filter(organisation=organisation))
    assert {event.date_precision for event in events} >= {DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR}
    for event in events:
        assert 2020 <= event.year <= 2025
        if event.date_precision == DatePrecision.MONTH:
            assert event.occurred_on is None
            assert event.month is not None
        elif event.date_precision == DatePrecision.YEAR:
            assert event.occurred_on is None
            assert event.month is None
        else:
            assert (event.occurred_on.year, event.occurred_on.month) == (event.year, event.month)


def test_decisions_have_deadlines_from_the_legal_rules(synthesised):
    organisation, _summary = synthesised
    appealable = Decision.objects.filter(
        organisation=organisation,
        decision_type__code="residence_permit_temporary",
        decision_maker__code="migration_department",
    )
    assert appealable.exists()
    for decision in appealable:
        deadline = Deadline.objects.get(decision=decision, kind="appeal")
        assert 14 <= (deadline.due_on - decision.served_on).days <= 18  # rolled to a working day
        assert deadline.computation["rule_code"] == "lt_residence_temporary_appeal"


def test_each_status_kind_has_one_current_period_per_person(synthesised):
    organisation, _summary = synthesised
    current = Counter(
        StatusPeriod.objects.filter(organisation=organisation, current=True).values_list("person_id", "kind")
    )
    assert set(current.values()) == {1}
    detentions = StatusPeriod.objects.filter(organisation=organisation, status="detained_administrative")
    assert all(period.duration_days is None or period.duration_days >= 1 for period in detentions)


MODELS_WITH_ENCRYPTED_FIELDS = (
    Person,
    Case,
    Event,
    Decision,
    StatusPeriod,
    ConsentRecord,
    MilitaryServicePeriod,
    Relationship,
)


def test_every_encrypted_value_decrypts(synthesised):
    organisation, _summary = synthesised
    for model in MODELS_WITH_ENCRYPTED_FIELDS:
        fields = encrypted_fields(model)
        for row in model.objects.filter(organisation=organisation):
            for field in fields:
                getattr(row, field.name)  # raises DecryptionError when a value does not open
    person = Person.objects.filter(organisation=organisation).first()
    assert person.given_name and person.family_name and person.biography.startswith("Synthetic record.")


def test_a_person_is_found_by_the_latin_spelling_of_their_name(synthesised, org_admin):
    organisation, _summary = synthesised
    for person in Person.objects.filter(organisation=organisation)[:5]:
        scheme = PASSPORT_SCHEME[person.citizenship]
        latin = next(variant for variant in person.name_variants if variant.get("scheme") == scheme)
        found = persons_matching_name(user=org_admin, text=f"{latin['given_name']} {latin['family_name']}")
        assert person in found
        assert latin["family_name"].isascii() or scheme == "russian_icao"


def test_audit_entries_exist_for_created_records(synthesised):
    organisation, summary = synthesised
    entries = AuditEntry.objects.filter(organisation=organisation)
    for model, action in (
        (Person, "person.create"),
        (Case, "case.open"),
        (Event, "event.create"),
        (Decision, "decision.create"),
    ):
        ids = {str(pk) for pk in model.objects.filter(organisation=organisation).values_list("pk", flat=True)}
        assert set(entries.filter(action=action).values_list("target_id", flat=True)) == ids
    assert summary.counts["audit.AuditEntry"] == entries.count()
