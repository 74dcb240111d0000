"""One synthetic person's whole story: identity, profile, events at home and in Lithuania, statuses,
the case the organisation opened, consent and notes. Pure Python, driven by one random generator."""

from __future__ import annotations

import datetime
import random
from typing import Any

from asylon.ops.synth import names, profiles, texts
from asylon.ops.synth.dates import LAST_DAY, day_between, days_after
from asylon.ops.synth.host import host_story
from asylon.ops.synth.origin import pursuit, push_to_leave
from asylon.ops.synth.profiles import Profile
from asylon.ops.synth.specs import ConsentSpec, NoteSpec, RelativeSpec, ServiceSpec, StatusSpec, Story
from asylon.ops.synth.timeline import Timeline

PASSPORT_SERIES = {"BY": ("MP", "MC", "AB", "BM", "HB", "KH", "KB"), "UA": ("FA", "FB", "FE", "FH", "FK")}
STREETS = ("Liepų", "Beržų", "Klevų", "Pušų", "Ąžuolų", "Sodų", "Uosių", "Eglių")
DEPENDANTS = ((0, 1, 2, 3, 4), (45, 25, 20, 8, 2))
RELATIVE_KINDS = (("parent", "spouse", "sibling", "child"), (50, 25, 20, 5))
CONSENT_SHARES = (("casework", 0.98), ("statistics", 0.85), ("sharing", 0.2), ("publication", 0.15), ("alert", 0.1))
CLOSING_STATUSES = frozenset({"refugee", "subsidiary_protection", "left_country", "banned_from_entry"})
CRITICAL_STATUSES = frozenset({"detained_administrative", "in_hiding", "irregular"})
_CALLED_UP = frozenset({"summons_issued", "call_up_regular", "call_up_mobilisation", "reserve_training_call"})


def story(rng: random.Random, index: int) -> Story:
    """Draw the story of the `index`-th synthetic person."""
    profile = profiles.profile(rng)
    forms = names.full_name(rng, profile.citizenship, profile.female)
    variants = names.name_variants(rng, profile.citizenship, forms)
    timeline = Timeline(rng, profile)
    push_to_leave(timeline)
    pursuit(timeline)
    host_story(timeline)
    codes = {event.code for event in timeline.events}
    _document_statuses(timeline)
    native = forms[names.LANGUAGE_OF_CITIZENSHIP[profile.citizenship]]
    person = {
        "given_name": native.given_name,
        "family_name": native.family_name,
        "patronymic": native.patronymic,
        "name_variants": variants,
        "birth_date": profile.birth_date,
        "contacts": {"email": _email(names.passport_spelling(variants, profile.citizenship), index)},
        "identifiers": _identifiers(rng, profile),
        "addresses": [
            {
                "country": "LT",
                "city": profile.host_region,
                "street": f"{rng.choice(STREETS)} g. {rng.randint(1, 120)}-{rng.randint(1, 80)}",
            }
        ],
        "religion": profiles.religion(rng, profile.claim_basis),
        "biography": texts.biography(profile),
        "host_country_history": texts.host_country_history(rng, profile),
        "birth_year": profile.birth_year,
        "sex": "female" if profile.female else ("male" if rng.random() < 0.98 else "unknown"),
        "citizenship": profile.citizenship,
        "other_citizenships": [rng.choice(("RU", "UA", "KZ", "IL"))] if rng.random() < 0.02 else [],
        "country_of_origin": profile.citizenship,
        "region": profile.host_region,
        "entry_year": profile.entry_date.year,
        "languages": profiles.languages(rng, profile.citizenship),
        "dependants": rng.choices(*DEPENDANTS)[0],
        "vulnerabilities": profiles.vulnerabilities(rng),
        "military_service_category": profile.category,
        "military_status": _military_status(rng, profile, codes),
        "objection_declared": profile.objector and rng.random() < 0.7,
        "draft_evader": profile.liable and not profile.deserter and bool(codes & _CALLED_UP),
        "deserter": profile.deserter,
    }
    statuses = timeline.statuses()
    result = Story(
        index=index,
        person=person,
        claim_basis=profile.claim_basis,
        case=_case(rng, profile, timeline, statuses),
        services=_services(rng, profile),
        relatives=_relatives(rng, profile, timeline),
        events=timeline.events,
        decisions=timeline.decisions,
        statuses=statuses,
    )
    result.consents = _consents(rng, result.case["opened_on"])
    _publication_flags(rng, result)
    result.notes = [
        NoteSpec(body=texts.note(rng, privileged), privileged=privileged) for privileged in _note_kinds(rng)
    ]
    return result


def _email(latin: dict[str, Any], index: int) -> str:
    given, family = names.ascii_slug(latin["given_name"]), names.ascii_slug(latin["family_name"])
    return f"{given}.{family}.{index}@example.org"


def _identifiers(rng: random.Random, profile: Profile) -> list[dict[str, str]]:
    country = profile.citizenship
    if country == "RU":
        number = f"{rng.randint(70, 76)} {rng.randint(0, 9_999_999):07d}"
    elif country == "BY":
        number = f"{rng.choice(PASSPORT_SERIES[country])}{rng.randint(0, 9_999_999):07d}"
    else:
        number = f"{rng.choice(PASSPORT_SERIES[country])}{rng.randint(0, 999_999):06d}"
    identifiers = [{"type": "passport", "country": country, "number": number}]
    if rng.random() < 0.6:
        permit = f"{rng.randint(0, 99_999_999):08d}"
        identifiers.append({"type": "lt_residence_permit", "country": "LT", "number": permit})
    return identifiers


def _military_status(rng: random.Random, profile: Profile, codes: set[str]) -> list[str]:
    if profile.female:
        return []
    status = ["registered"] if profile.liable or profile.served else []
    if profile.served and profile.liable:
        status.append("liable_for_mobilisation")
    elif profile.liable and rng.random() < 0.1:
        status.append("deferment")
    if codes & _CALLED_UP:
        status.append("summons_received")
    if "criminal_case_opened" in codes:
        status.append("criminal_case_in_origin")
    return status


def _document_statuses(timeline: Timeline) -> None:
    """Passports run out abroad and cannot be renewed (recorded by `passport_expired_abroad`)."""
    rng = timeline.rng
    for event in timeline.events:
        if event.code == "passport_expired_abroad":
            if rng.random() < 0.4:
                timeline.status("document", "passport_expiring_lt_6m", event.on - datetime.timedelta(days=180))
            timeline.status("document", "passport_expired", event.on)


def _case(rng: random.Random, profile: Profile, timeline: Timeline, statuses: list[StatusSpec]) -> dict[str, Any]:
    first_decision = min((decision.decided_on for decision in timeline.decisions), default=LAST_DAY)
    opened_on = min(days_after(rng, profile.entry_date, 7, 400), first_decision, LAST_DAY)
    current = {period.status for period in statuses if period.current}
    status, closed_on = "open", None
    if current & CLOSING_STATUSES and rng.random() < 0.6:
        status = "closed"
        latest = max(period.started_on for period in statuses if period.current)
        closed_on = min(LAST_DAY, max(opened_on, days_after(rng, latest, 30, 120)))
    elif rng.random() < 0.15:
        status = "dormant"
    decided = {decision.decision_type for decision in timeline.decisions}
    if current & CRITICAL_STATUSES:
        risk = "critical"
    elif "national_security_conclusion" in decided or "asylum" in decided:
        risk = "high"
    else:
        risk = rng.choice(("low", "medium", "medium"))
    return {
        "status": status,
        "risk": risk,
        "opened_on": opened_on,
        "closed_on": closed_on,
        "summary": texts.case_summary(rng, profile),
    }


def _services(rng: random.Random, profile: Profile) -> list[ServiceSpec]:
    periods = []
    for service_type, start_year, end_year in profile.services:
        rank, role = profiles.rank_and_role(rng, service_type)
        in_the_war = service_type == "contract" and start_year >= 2021
        combat = None if rng.random() < 0.2 else (in_the_war and rng.random() < 0.4)
        periods.append(
            ServiceSpec(
                service_type=service_type,
                start_year=start_year,
                end_year=end_year,
                unit=texts.military_unit(rng),
                rank=rank,
                role=role,
                combat_exposure=combat,
            )
        )
    return periods


def _relatives(rng: random.Random, profile: Profile, timeline: Timeline) -> list[RelativeSpec]:
    pressured = any(event.code == "pressure_on_family" for event in timeline.events)
    in_structures = any("relative_in_security_structures" in decision.grounds for decision in timeline.decisions)
    count = rng.choice((0, 0, 1, 1, 2)) if not (pressured or in_structures) else rng.choice((1, 2))
    relatives = []
    for position in range(count):
        kind = rng.choices(*RELATIVE_KINDS)[0]
        relatives.append(
            RelativeSpec(
                kind=kind,
                description=texts.relative(rng, kind, profile),
                in_security_structures=(in_structures and position == 0) or rng.random() < 0.02,
                under_pressure=pressured and rng.random() < 0.8,
            )
        )
    return relatives


def _consents(rng: random.Random, opened_on: datetime.date) -> list[ConsentSpec]:
    consents = []
    for purpose, share in CONSENT_SHARES:
        if rng.random() >= share:
            continue
        withdrawn = day_between(rng, days_after(rng, opened_on, 30, 30), LAST_DAY) if rng.random() < 0.03 else None
        consents.append(
            ConsentSpec(
                purpose=purpose,
                given_on=opened_on,
                withdrawn_on=withdrawn if withdrawn and withdrawn <= LAST_DAY and withdrawn > opened_on else None,
                note=texts.consent_note(rng) if rng.random() < 0.3 else None,
            )
        )
    return consents


def _publication_flags(rng: random.Random, result: Story) -> None:
    """Events may be published only with the person's consent, and alerts sent only where safe."""
    active = {consent.purpose for consent in result.consents if consent.withdrawn_on is None}
    publishable, alertable = "publication" in active, "alert" in active
    for event in result.events:
        event.consent_to_publish = publishable
        event.alert_safe = alertable and rng.random() < 0.5


def _note_kinds(rng: random.Random) -> list[bool]:
    """Whether each of a case's notes is privileged; most cases have none."""
    draw = rng.random()
    count = 2 if draw < 0.05 else (1 if draw < 0.25 else 0)
    return [rng.random() < 0.3 for _ in range(count)]
