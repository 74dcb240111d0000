"""What happens in the country of origin: the push to leave, then pursuit after departure.

Belarus: summons and reserve-training calls, criminal cases for evasion (Art. 435), trials in
absentia ("special proceedings" since 20 July 2022), "extremist" listings, consulates refusing
passports (Decree No. 278, from 6 September 2023), pressure on family. Russia: mobilisation
(September 2022), electronic summons, Art. 328. Ukraine: exit ban for men, Art. 336 (DOMAIN.md).
"""

from __future__ import annotations

import datetime
import random

from asylon.ops.synth.dates import FIRST_DAY, days_after, origin_precision
from asylon.ops.synth.timeline import Timeline

SPECIAL_PROCEEDINGS_BY = datetime.date(2022, 7, 20)
DECREE_278_BY = datetime.date(2023, 9, 6)
WAR = datetime.date(2022, 2, 24)
CRIMINAL_CASE_SHARE = {"BY": 0.3, "RU": 0.15, "UA": 0.1}
PRESSURE_SHARE = {"BY": 0.45, "RU": 0.2, "UA": 0.1}
LISTED_FOR = frozenset({"protest_2020", "ngo_affiliation_extremist_designated"})  # "extremist" listings


def _before(rng: random.Random, departure: datetime.date, low: int, high: int) -> datetime.date:
    return max(FIRST_DAY, departure - datetime.timedelta(days=rng.randint(low, high)))


def push_to_leave(timeline: Timeline) -> None:
    """Events before departure that made the person leave."""
    rng, profile = timeline.rng, timeline.profile
    departure = profile.entry_date
    country = profile.citizenship
    if country == "BY" and profile.claim_basis in ("protest_2020", "political_opinion_imputed") and rng.random() < 0.35:
        arrested = _before(rng, departure, 20, 200)
        timeline.event("arrest", arrested, origin_precision(rng))
        if rng.random() < 0.7:
            timeline.event("detention", arrested, origin_precision(rng))
        if rng.random() < 0.4:
            timeline.event("interrogation", days_after(rng, arrested, 1, 20), origin_precision(rng))
    if profile.objector and rng.random() < 0.4:
        timeline.event("alternative_service_denied", _before(rng, departure, 30, 400), origin_precision(rng))
    if not profile.liable:
        return
    if country == "RU" and departure >= datetime.date(2022, 9, 21) and rng.random() < 0.5:
        timeline.event("call_up_mobilisation", _before(rng, departure, 1, 20), origin_precision(rng))
    elif country == "BY" and departure >= WAR and profile.served and rng.random() < 0.35:
        timeline.event("reserve_training_call", _before(rng, departure, 5, 60), origin_precision(rng))
    elif departure.year - profile.birth_year <= 27 and rng.random() < 0.35:
        timeline.event("call_up_regular", _before(rng, departure, 10, 120), origin_precision(rng))
    for _ in range(rng.choice((0, 1, 1, 2))):
        timeline.event("summons_issued", _before(rng, departure, 3, 120), origin_precision(rng))
    if country == "UA" and rng.random() < 0.5:
        timeline.event("exit_ban_imposed", _before(rng, departure, 30, 300), origin_precision(rng))


def pursuit(timeline: Timeline) -> None:
    """Events after departure: summons keep coming, criminal cases, listings, passports, family."""
    rng, profile = timeline.rng, timeline.profile
    departure = profile.entry_date
    country = profile.citizenship
    if profile.liable:
        summonses = rng.choice((0, 1, 2, 2, 3, 3))
        for _ in range(summonses):
            timeline.event("summons_issued", days_after(rng, departure, 10, 700), origin_precision(rng))
        if summonses and rng.random() < CRIMINAL_CASE_SHARE[country] * (2.5 if profile.deserter else 1):
            _criminal_case(timeline, days_after(rng, departure, 60, 900))
    if country == "BY":
        if rng.random() < (0.2 if profile.claim_basis in LISTED_FOR else 0.05):
            timeline.event("added_to_extremist_list", days_after(rng, departure, 90, 1200), origin_precision(rng))
            if rng.random() < 0.1:
                timeline.event("added_to_terrorist_list", days_after(rng, departure, 120, 1300), origin_precision(rng))
        if rng.random() < 0.35:
            timeline.event(
                "consular_service_denied",
                max(DECREE_278_BY, days_after(rng, departure, 30, 1500)),
                "day",
                abroad=True,
                perpetrator="mfa_consulate",
            )
    elif country == "RU" and rng.random() < 0.08:
        timeline.event(
            "consular_service_denied",
            days_after(rng, departure, 60, 1000),
            "day",
            abroad=True,
            perpetrator="mfa_consulate",
        )
    if rng.random() < 0.2:
        timeline.event("passport_expired_abroad", days_after(rng, departure, 180, 1500), "day", abroad=True)
    for _ in range(rng.choice((1, 1, 2)) if rng.random() < PRESSURE_SHARE[country] else 0):
        timeline.event("pressure_on_family", days_after(rng, departure, 15, 1000), origin_precision(rng))
    if rng.random() < 0.05:
        timeline.event("interrogation", days_after(rng, departure, 30, 900), origin_precision(rng))


def _criminal_case(timeline: Timeline, opened: datetime.date) -> None:
    """A criminal case for evasion (or desertion): wanted notice, perhaps trial in absentia and conviction."""
    rng, profile = timeline.rng, timeline.profile
    if timeline.event("criminal_case_opened", opened, origin_precision(rng)) is None:
        return
    if rng.random() < 0.6:
        timeline.event("search_or_wanted_notice", days_after(rng, opened, 10, 120), origin_precision(rng))
    in_absentia_from = SPECIAL_PROCEEDINGS_BY if profile.citizenship == "BY" else None
    if in_absentia_from is not None and rng.random() < 0.4:
        trial = max(in_absentia_from, days_after(rng, opened, 120, 600))
        timeline.event("trial_in_absentia", trial, origin_precision(rng))
        if rng.random() < 0.85:
            convicted = days_after(rng, trial, 0, 30)
            timeline.event("conviction", convicted, origin_precision(rng))
            if rng.random() < 0.3:
                timeline.event("property_confiscation", days_after(rng, convicted, 30, 300), origin_precision(rng))
