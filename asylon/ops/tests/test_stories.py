"""Stories without the database: many persons, checked for internal consistency."""

import itertools
import random
from collections import Counter

from asylon.ops.synth.dates import FIRST_DAY, LAST_DAY
from asylon.ops.synth.stories import story

STORIES = 400


def stories(seed=3):
    rng = random.Random(seed)
    return [story(rng, index) for index in range(STORIES)]


def test_stories_are_reproducible():
    assert [s.person for s in stories()] == [s.person for s in stories()]


def test_every_date_lies_in_the_window_and_decisions_are_served_after_they_are_taken():
    for person in stories():
        for event in person.events:
            assert FIRST_DAY <= event.on <= LAST_DAY
        for decision in person.decisions:
            assert decision.decided_on <= decision.served_on <= LAST_DAY
            for proceeding in decision.proceedings:
                assert proceeding.lodged_on > decision.served_on
                assert proceeding.decided_on is None or proceeding.decided_on > proceeding.lodged_on


def test_status_periods_follow_each_other_without_gaps():
    for person in stories():
        by_kind = {}
        for period in person.statuses:
            by_kind.setdefault(period.kind, []).append(period)
        for periods in by_kind.values():
            assert [period.current for period in periods] == [False] * (len(periods) - 1) + [True]
            for earlier, later in itertools.pairwise(periods):
                assert earlier.ended_on == later.started_on
                assert earlier.status != later.status


def test_the_mix_of_citizenships_and_the_event_rate():
    everyone = stories()
    citizenships = Counter(person.person["citizenship"] for person in everyone)
    assert 0.70 <= citizenships["BY"] / STORIES <= 0.80
    assert 0.15 <= citizenships["RU"] / STORIES <= 0.25
    assert 0.02 <= citizenships["UA"] / STORIES <= 0.09
    assert 9 <= sum(len(person.events) for person in everyone) / STORIES <= 11


def test_threat_decisions_cite_past_service():
    cited = Counter()
    for person in stories():
        for decision in person.decisions:
            if decision.decision_type == "national_security_conclusion":
                cited.update(decision.grounds)
    assert cited["past_compulsory_military_service"] > cited["contacts_with_foreign_services"]
    assert cited["national_security_threat_unspecified"] > 0
