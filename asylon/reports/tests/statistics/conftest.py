"""A small dataset for the statistics tests: three people of one organisation with known events,
decisions, appeals, detentions and entry bans, and one person of another organisation."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from tests.factories import (
    CaseFactory,
    OrganisationFactory,
    decision_on,
    event_on,
    person_on_case,
    proceeding_on,
    status_on,
)

THREAT = "declared_national_security_threat"


@dataclasses.dataclass
class Dataset:
    organisation: Any
    other: Any
    people: dict[str, Any]


@pytest.fixture
def dataset(db) -> Dataset:
    """ales (BY, male, conscript): threat 2023-03 and 2024-02, visa refused 2023-05, detained 5 and
    40 days, appeal won; bela (BY, female): threat 2023-08 (grounds: past service, questionnaire),
    appeal lost and a pending one, entry ban 2 years; ivan (RU, no month): threat 2023, a decision
    without an event (served 2023-10), detention of unknown length. Another organisation: one threat 2023-01."""
    organisation = OrganisationFactory()
    ales_case, bela_case, ivan_case = (CaseFactory(organisation=organisation) for _ in range(3))
    ales = person_on_case(ales_case, citizenship="BY", sex="male", military_service_category="conscript")
    bela = person_on_case(bela_case, citizenship="BY", sex="female", military_service_category="none")
    ivan = person_on_case(ivan_case, citizenship="RU", sex="male", country_of_origin="")

    threat = event_on(ales_case, ales, THREAT, 2023, 3)
    decision_on(
        ales_case,
        "national_security_conclusion",
        event=threat,
        maker="state_security_department",
        grounds=("past_compulsory_military_service",),
    )
    event_on(ales_case, ales, THREAT, 2024, 2)
    refused = event_on(ales_case, ales, "visa_refused", 2023, 5)
    visa = decision_on(ales_case, "visa", event=refused, outcome="refuse", grounds=("questionnaire_answers",))
    proceeding_on(ales_case, decision=visa, outcome="annulled_remitted", lodged_year=2023)
    event_on(ales_case, None, THREAT, 2023, 4)  # no victim named: no one to count
    status_on(ales_case, ales, "liberty", "detained_administrative", start=(2023, 6), days=5)
    status_on(ales_case, ales, "liberty", "detained_criminal", start=(2024, 1), days=40)
    status_on(ales_case, ales, "liberty", "free", start=(2023, 6), days=10)

    bela_threat = event_on(bela_case, bela, THREAT, 2023, 8)
    bela_decision = decision_on(
        bela_case,
        "national_security_conclusion",
        event=bela_threat,
        maker="state_security_department",
        outcome="refuse",
        grounds=("past_compulsory_military_service", "questionnaire_answers"),
    )
    proceeding_on(bela_case, decision=bela_decision, outcome="upheld", lodged_year=2023)
    proceeding_on(bela_case, decision=bela_decision, tier="appeal_tier2", court="supreme_admin_court", lodged_year=2024)
    status_on(bela_case, bela, "residence", "banned_from_entry", start=(2024, 3), days=730)

    event_on(ivan_case, ivan, THREAT, 2023, None, country="")
    decision_on(ivan_case, "residence_permit_temporary", outcome="refuse", served=(2023, 10))
    status_on(ivan_case, ivan, "liberty", "detained_administrative", start=(2023, 11))

    other = OrganisationFactory()
    other_case = CaseFactory(organisation=other)
    event_on(other_case, person_on_case(other_case, citizenship="BY"), THREAT, 2023, 1)
    return Dataset(organisation=organisation, other=other, people={"ales": ales, "bela": bela, "ivan": ivan})
