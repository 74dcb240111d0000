"""Who a synthetic person is: citizenship, sex, age, military service, when they came, what they claim.

The mix follows DOMAIN.md: among exiles in Lithuania Belarusians far outnumber Russians, and few
Ukrainians; most are men of conscription age; past service and cadet schools are common, because
host-state security services treat them as risk markers.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from asylon.ops.synth.dates import day_between

CITIZENSHIPS = (("BY", "RU", "UA"), (75, 20, 5))
FEMALE_SHARE = {"BY": 0.13, "RU": 0.10, "UA": 0.08}

# Entry to Lithuania by year: Belarusians after the 2020 protests and the 2022 war, Russians after
# the September 2022 mobilisation, Ukrainians after the full-scale invasion.
ENTRY_YEARS = {
    "BY": ((2020, 2021, 2022, 2023, 2024), (25, 35, 25, 10, 5)),
    "RU": ((2022, 2023, 2024), (70, 20, 10)),
    "UA": ((2022, 2023, 2024), (50, 30, 20)),
}
MOBILISATION_RU = datetime.date(2022, 9, 21)

ORIGIN_REGIONS = {
    "BY": (("Minsk", "Minsk region", "Brest", "Homiel", "Hrodna", "Mahilioŭ", "Viciebsk"), (35, 12, 11, 12, 11, 9, 10)),
    "RU": (
        (
            "Moscow",
            "St Petersburg",
            "Moscow region",
            "Sverdlovsk",
            "Novosibirsk",
            "Krasnodar",
            "Tatarstan",
            "Kaliningrad",
            "Buryatia",
            "Bashkortostan",
        ),
        (25, 18, 10, 7, 6, 6, 6, 8, 7, 7),
    ),
    "UA": (("Kyiv", "Kharkiv", "Dnipro", "Odesa", "Lviv", "Zaporizhzhia", "Chernihiv"), (30, 15, 12, 12, 12, 10, 9)),
}
HOST_REGIONS = (
    ("Vilnius", "Kaunas", "Klaipėda", "Šiauliai", "Panevėžys", "Alytus", "Visaginas"),
    (72, 10, 7, 3, 2, 2, 4),
)

NONE, UNKNOWN = "none", "unknown"
SERVICE_CATEGORIES = {
    "BY": (
        (
            "conscript",
            "contract",
            "reserve_training",
            "cadet_school",
            "military_academy",
            "officer",
            "border_guard",
            "internal_troops",
            "police",
            "security_service",
            NONE,
            UNKNOWN,
        ),
        (42, 6, 3, 6, 2, 3, 2, 4, 3, 1, 25, 3),
    ),
    "RU": (
        (
            "conscript",
            "contract",
            "cadet_school",
            "military_academy",
            "officer",
            "border_guard",
            "internal_troops",
            "police",
            "security_service",
            NONE,
            UNKNOWN,
        ),
        (38, 7, 3, 2, 3, 1, 2, 3, 1, 36, 4),
    ),
    "UA": (("conscript", "contract", "police", NONE, UNKNOWN), (20, 5, 2, 70, 3)),
}
FEMALE_SERVICE = (("contract", "police", NONE, UNKNOWN), (3, 3, 90, 4))
# Years of service and the age at which it starts, per category.
SERVICE_SHAPE = {
    "conscript": (18, (1, 2)),
    "contract": (19, (2, 5)),
    "reserve_training": (25, (0, 1)),
    "cadet_school": (12, (4, 6)),
    "military_academy": (17, (4, 5)),
    "officer": (22, (3, 10)),
    "border_guard": (18, (1, 4)),
    "internal_troops": (18, (1, 3)),
    "police": (21, (2, 8)),
    "security_service": (22, (2, 8)),
}
RANKS = {
    "conscript": ("private", "lance corporal", "junior sergeant"),
    "contract": ("sergeant", "senior sergeant", "corporal"),
    "reserve_training": ("private", "junior sergeant"),
    "cadet_school": ("cadet",),
    "military_academy": ("officer cadet",),
    "officer": ("lieutenant", "senior lieutenant", "captain"),
    "border_guard": ("private", "sergeant"),
    "internal_troops": ("private", "sergeant"),
    "police": ("junior lieutenant of police", "sergeant of police"),
    "security_service": ("lieutenant", "senior lieutenant"),
}
ROLES = (
    "rifleman",
    "driver",
    "signaller",
    "cook",
    "mechanic",
    "clerk",
    "medic",
    "radio operator",
    "guard",
    "storekeeper",
)

CLAIM_BASES = {
    "BY": (
        (
            "protest_2020",
            "refusal_unlawful_war",
            "political_opinion_imputed",
            "conscientious_objection_secular",
            "conscientious_objection_religious",
            "ngo_affiliation_extremist_designated",
            "risk_of_death_penalty",
        ),
        (35, 30, 15, 8, 4, 7, 1),
    ),
    "RU": (
        (
            "refusal_unlawful_war",
            "political_opinion_imputed",
            "conscientious_objection_secular",
            "conscientious_objection_religious",
        ),
        (60, 20, 13, 7),
    ),
    "UA": (
        ("conscientious_objection_religious", "conscientious_objection_secular", "refusal_unlawful_war"),
        (30, 45, 25),
    ),
}
RELIGIONS = (
    (
        "Orthodox Christian",
        "Roman Catholic",
        "Greek Catholic",
        "Protestant",
        "Jehovah's Witness",
        "Muslim",
        "no religion",
    ),
    (30, 15, 3, 10, 5, 2, 35),
)
VULNERABILITIES = (
    ("chronic_illness", 0.06),
    ("mental_health", 0.05),
    ("disability", 0.02),
    ("single_parent", 0.03),
    ("torture_survivor", 0.03),
    ("lgbtiq", 0.02),
)
SERVED = frozenset(SERVICE_SHAPE) - {"reserve_training"}


@dataclass(slots=True)
class Profile:
    """The facts about a person that their story is drawn from."""

    citizenship: str
    female: bool
    birth_year: int
    birth_date: datetime.date | None
    entry_date: datetime.date
    origin_region: str
    host_region: str
    category: str
    claim_basis: str
    deserter: bool
    services: list[tuple[str, int, int | None]] = field(default_factory=list)

    @property
    def liable(self) -> bool:
        """A man of conscription or mobilisation age when he left."""
        age = self.entry_date.year - self.birth_year
        return not self.female and 18 <= age <= 55

    @property
    def served(self) -> bool:
        """Served in the army, a military school or a security body (a risk marker for vetting)."""
        return self.category in SERVED

    @property
    def objector(self) -> bool:
        """Claims conscientious objection, religious or secular."""
        return self.claim_basis.startswith("conscientious_objection")


def _entry_date(rng: random.Random, citizenship: str) -> datetime.date:
    years, weights = ENTRY_YEARS[citizenship]
    year = rng.choices(years, weights)[0]
    if citizenship == "BY" and year == 2020:
        return day_between(rng, datetime.date(2020, 8, 10), datetime.date(2020, 12, 31))
    if citizenship == "RU" and year == 2022 and rng.random() < 0.6:
        return day_between(rng, MOBILISATION_RU, datetime.date(2022, 10, 31))
    if citizenship == "UA" and year == 2022:
        return day_between(rng, datetime.date(2022, 2, 24), datetime.date(2022, 12, 31))
    return day_between(rng, datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def _services(rng: random.Random, category: str, birth_year: int, entry_year: int) -> list[tuple[str, int, int | None]]:
    """Service periods (type, start year, end year) for a category; cadets often went on to an academy."""
    if category not in SERVICE_SHAPE:
        return []
    chain = [category]
    if category == "cadet_school" and rng.random() < 0.3:
        chain.append("military_academy")
    if category == "military_academy" or (len(chain) == 2 and rng.random() < 0.6):
        chain.append("officer")
    if category == "conscript" and rng.random() < 0.15:
        chain.append("reserve_training")
    periods: list[tuple[str, int, int | None]] = []
    year = birth_year + SERVICE_SHAPE[category][0]
    for service_type in chain:
        start_age, (shortest, longest) = SERVICE_SHAPE[service_type]
        year = max(year, birth_year + start_age)
        if service_type == "reserve_training":
            year += rng.randint(3, 10)  # reservists are called back years after their service
        if year >= entry_year:
            break
        end = year + rng.randint(shortest, longest)
        periods.append((service_type, year, end if end < entry_year else None))
        year = end
    return periods


def profile(rng: random.Random) -> Profile:
    """Draw one person's profile."""
    citizenship = rng.choices(*CITIZENSHIPS)[0]
    female = rng.random() < FEMALE_SHARE[citizenship]
    birth_year = round(rng.triangular(1968, 2005, 1994))
    entry_date = _entry_date(rng, citizenship)
    birth_year = min(birth_year, entry_date.year - 18)
    birth_date = day_between(rng, datetime.date(birth_year, 1, 1), datetime.date(birth_year, 12, 28))
    category = rng.choices(*(FEMALE_SERVICE if female else SERVICE_CATEGORIES[citizenship]))[0]
    deserter = category in ("contract", "officer") and rng.random() < 0.2
    claim_basis = "desertion" if deserter else rng.choices(*CLAIM_BASES[citizenship])[0]
    if claim_basis == "protest_2020" and entry_date.year > 2021:
        claim_basis = "political_opinion_imputed"
    return Profile(
        citizenship=citizenship,
        female=female,
        birth_year=birth_year,
        birth_date=birth_date if rng.random() < 0.9 else None,
        entry_date=entry_date,
        origin_region=rng.choices(*ORIGIN_REGIONS[citizenship])[0],
        host_region=rng.choices(*HOST_REGIONS)[0],
        category=category,
        claim_basis=claim_basis,
        deserter=deserter,
        services=_services(rng, category, birth_year, entry_date.year),
    )


def languages(rng: random.Random, citizenship: str) -> list[str]:
    """Languages spoken: national and Russian, sometimes Lithuanian, English or Polish."""
    spoken = {"BY": ["be", "ru"] if rng.random() < 0.6 else ["ru"], "RU": ["ru"], "UA": ["uk", "ru"]}[citizenship]
    spoken += [code for code, share in (("en", 0.35), ("lt", 0.1), ("pl", 0.05)) if rng.random() < share]
    return spoken


def vulnerabilities(rng: random.Random) -> list[str]:
    """Vulnerability flags, each rare."""
    return [flag for flag, share in VULNERABILITIES if rng.random() < share]


def religion(rng: random.Random, objector_basis: str) -> str | None:
    """Religion or belief, recorded for a minority (and for every religious objector)."""
    if objector_basis == "conscientious_objection_religious":
        return rng.choice(("Jehovah's Witness", "Protestant", "Orthodox Christian"))
    return rng.choices(*RELIGIONS)[0] if rng.random() < 0.3 else None


def rank_and_role(rng: random.Random, service_type: str) -> tuple[str, str]:
    """A plausible rank and role for a service period."""
    return rng.choice(RANKS[service_type]), rng.choice(ROLES)
