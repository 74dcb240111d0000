"""What happens in Lithuania: residence, the security questionnaire, "national security threat"
conclusions and their consequences, appeals, asylum, detention, removal and entry bans.

The consequences of a threat conclusion are weighted by the Migration Department figures to
November 2023 quoted in DOMAIN.md (Belarusians: temporary permit denied 562, replacement denied 343,
temporary permit revoked 450, permanent denied 2, permanent cancelled 8, visa denied 279; Russians:
76, 84, 90, none, 90, 55).
"""

from __future__ import annotations

import datetime
import random

from asylon.ops.synth import texts
from asylon.ops.synth.dates import days_after, host_precision, in_window
from asylon.ops.synth.specs import DecisionSpec
from asylon.ops.synth.timeline import Timeline
from asylon.vocab.codes import PROCEEDING_STEP

QUESTIONNAIRE_FROM = datetime.date(2022, 11, 1)
MIGRATION, SECURITY, BORDER_GUARD = "migration_department", "state_security_department", "state_border_guard_service"
REGIONAL_COURT, SUPREME_COURT = "regional_admin_court", "supreme_admin_court"

# (event type, decision type, outcome) of each consequence, with DOMAIN.md weights per citizenship.
CONSEQUENCES = (
    ("temp_residence_refused", "residence_permit_temporary", "refuse"),
    ("temp_residence_not_extended", "residence_permit_replacement", "not_extend"),
    ("temp_residence_revoked", "residence_permit_temporary", "revoke"),
    ("perm_residence_refused", "residence_permit_permanent", "refuse"),
    ("perm_residence_revoked", "residence_permit_permanent", "revoke"),
    ("visa_refused", "visa", "refuse"),
)
CONSEQUENCE_WEIGHTS = {"BY": (562, 343, 450, 2, 8, 279), "RU": (76, 84, 90, 0, 90, 55)}
SERVICE_GROUNDS = {
    "conscript": "past_compulsory_military_service",
    "reserve_training": "past_compulsory_military_service",
    "contract": "past_contract_military_service",
    "officer": "past_contract_military_service",
    "cadet_school": "cadet_or_military_school",
    "military_academy": "cadet_or_military_school",
    "police": "police_or_security_service_employment",
    "security_service": "police_or_security_service_employment",
    "internal_troops": "police_or_security_service_employment",
    "border_guard": "police_or_security_service_employment",
}
OTHER_GROUNDS = (
    ("state_enterprise_employment", 0.15),
    ("frequent_travel_to_origin", 0.12),
    ("relative_in_security_structures", 0.08),
    ("questionnaire_answers", 0.3),
    ("contacts_with_foreign_services", 0.02),
)
ASYLUM_SHARE = {"BY": 0.12, "RU": 0.35, "UA": 0.03}
ASYLUM_OUTCOMES = (
    (
        "refuse",
        "manifestly_unfounded",
        "inadmissible",
        "discontinued_or_withdrawn",
        "refugee_status",
        "subsidiary_protection",
        "humanitarian_permit",
    ),
    (50, 5, 3, 7, 12, 10, 3),
)
ASYLUM_REFUSAL_GROUNDS = (
    ("no_well_founded_fear", 0.6),
    ("military_duty_is_legitimate", 0.4),
    ("credibility", 0.3),
    ("national_security_threat_unspecified", 0.15),
    ("internal_or_safe_third_country", 0.05),
)
PROTECTED = {
    "refugee_status": "refugee",
    "subsidiary_protection": "subsidiary_protection",
    "humanitarian_permit": "temp_resident",
}
NEGATIVE_OUTCOMES = frozenset({"refuse", "revoke", "not_extend", "manifestly_unfounded", "inadmissible"})


def host_story(timeline: Timeline) -> None:
    """A person's life in Lithuania from entry to the end of the window."""
    rng, profile = timeline.rng, timeline.profile
    entry = profile.entry_date
    for kind, status in (("liberty", "free"), ("document", "passport_valid"), ("procedure", "pre_filing")):
        timeline.status(kind, status, entry)
    if profile.citizenship == "UA":
        timeline.status("residence", "temp_resident", days_after(rng, entry, 3, 30))
    else:
        timeline.status("residence", "visa_holder", entry)
        timeline.status("residence", "temp_resident", days_after(rng, entry, 60, 300))
    _incidental(timeline)
    final_negative = None
    if profile.citizenship in CONSEQUENCE_WEIGHTS:
        final_negative = _security_vetting(timeline)
    if final_negative is not None:
        _after_final_negative(timeline, final_negative, may_claim_asylum=True)
    elif rng.random() < ASYLUM_SHARE[profile.citizenship]:
        _asylum(timeline, days_after(rng, entry, 5, 700))


def _incidental(timeline: Timeline) -> None:
    """Occasional procedural failures recorded as events of their own."""
    rng, entry = timeline.rng, timeline.profile.entry_date
    if rng.random() < 0.04:
        timeline.event(
            "legal_aid_refused_or_unavailable",
            days_after(rng, entry, 90, 1200),
            host_precision(rng),
            abroad=True,
            perpetrator=MIGRATION,
        )
    if rng.random() < 0.04:
        timeline.event(
            "decision_not_served_or_not_translated",
            days_after(rng, entry, 90, 1200),
            host_precision(rng),
            abroad=True,
            perpetrator=MIGRATION,
        )


def threat_grounds(rng: random.Random, timeline: Timeline) -> list[str]:
    """Grounds an authority cites for a threat conclusion: past service first, often nothing specific."""
    grounds = {SERVICE_GROUNDS[kind] for kind, _start, _end in timeline.profile.services if kind in SERVICE_GROUNDS}
    grounds.update(code for code, share in OTHER_GROUNDS if rng.random() < share)
    if not grounds or rng.random() < 0.4:
        grounds.add("national_security_threat_unspecified")
    return sorted(grounds)


def _security_vetting(timeline: Timeline) -> datetime.date | None:
    """Questionnaires with each residence application since November 2022; for some a referral to the
    State Security Department, a threat conclusion and its consequence. Returns the day the person's
    residence ended for good (a final negative decision), if it did."""
    rng, profile = timeline.rng, timeline.profile
    if rng.random() < 0.1:
        return None
    referral_share = 0.55 if profile.served else 0.2
    submitted = max(QUESTIONNAIRE_FROM, days_after(rng, profile.entry_date, 30, 400))
    while in_window(submitted):
        timeline.event("questionnaire_submitted", submitted, "day", abroad=True, perpetrator=MIGRATION)
        if rng.random() < referral_share:
            return _threat_conclusion(timeline, days_after(rng, submitted, 10, 60))
        submitted = days_after(rng, submitted, 300, 420)
    return None


def _threat_conclusion(timeline: Timeline, referred: datetime.date) -> datetime.date | None:
    rng, profile = timeline.rng, timeline.profile
    timeline.event("security_service_referral", referred, host_precision(rng), abroad=True, perpetrator=MIGRATION)
    timeline.status("procedure", "first_instance_pending", referred)  # a routine renewal is no contested procedure
    if rng.random() < 0.35:
        timeline.status("procedure", "final_positive", days_after(rng, referred, 30, 120))
        return None
    concluded = days_after(rng, referred, 30, 150)
    timeline.event(
        "security_service_negative_conclusion", concluded, host_precision(rng), abroad=True, perpetrator=SECURITY
    )
    grounds = threat_grounds(rng, timeline)
    declared_on = days_after(rng, concluded, 5, 40)
    declared = timeline.decision(
        "declared_national_security_threat",
        declared_on,
        decision_type="national_security_conclusion",
        maker=MIGRATION,
        grounds=grounds,
    )
    if declared is None:
        return None
    code, decision_type, outcome = rng.choices(CONSEQUENCES, CONSEQUENCE_WEIGHTS[profile.citizenship])[0]
    maker = "mfa_consulate" if decision_type == "visa" and rng.random() < 0.3 else MIGRATION
    decision = timeline.decision(
        code,
        days_after(rng, declared_on, 0, 10),
        decision_type=decision_type,
        maker=maker,
        outcome=outcome,
        grounds=grounds,
    )
    if decision is None:
        return None
    return _contest(timeline, decision, appeal_share=0.6)


def _contest(timeline: Timeline, decision: DecisionSpec, *, appeal_share: float) -> datetime.date | None:
    """The appeal window, appeals through two tiers, and a remitted case decided again.

    Returns the day the decision became final and negative, or None (pending, or it went the person's way).
    """
    rng = timeline.rng
    timeline.status("procedure", "appeal_window_open", decision.served_on)
    if rng.random() >= appeal_share:
        final = days_after(rng, decision.served_on, 15, 15)
        timeline.status("procedure", "final_negative", final)
        return final if in_window(final) else None
    late = rng.random() < 0.03
    lodged = days_after(rng, decision.served_on, 16, 40) if late else days_after(rng, decision.served_on, 3, 13)
    if late:
        timeline.event(
            "deadline_restored",
            days_after(rng, lodged, 10, 30),
            "day",
            abroad=True,
            perpetrator=REGIONAL_COURT,
            vocabulary=PROCEEDING_STEP,
        )
    timeline.status("procedure", "appeal_pending_tier1", lodged)
    first = timeline.appeal(decision, "appeal_tier1", REGIONAL_COURT, lodged)
    if first is None or first.decided_on is None:
        return None
    if first.outcome == "annulled_remitted":
        return _decided_again(timeline, decision, first.decided_on)
    if first.outcome == "upheld" and rng.random() < 0.35:
        lodged = days_after(rng, first.decided_on, 5, 13)
        timeline.status("procedure", "appeal_pending_tier2", lodged)
        second = timeline.appeal(decision, "appeal_tier2", SUPREME_COURT, lodged)
        if first.ruling is not None:
            first.ruling.deadlines_met = True
        if second is None or second.decided_on is None:
            return None
        if second.outcome == "annulled_remitted":
            return _decided_again(timeline, decision, second.decided_on)
        final = second.decided_on
    else:
        final = first.decided_on
    timeline.status("procedure", "final_negative", final)
    if rng.random() < 0.02:
        timeline.event(
            "echr_application",
            days_after(rng, final, 30, 120),
            "day",
            abroad=True,
            perpetrator="echr",
            vocabulary=PROCEEDING_STEP,
        )
        timeline.status("procedure", "international_pending", days_after(rng, final, 30, 120))
    return final


def _decided_again(timeline: Timeline, challenged: DecisionSpec, remitted_on: datetime.date) -> datetime.date | None:
    """After annulment the authority decides again: about half the time for the person."""
    rng = timeline.rng
    timeline.status("procedure", "first_instance_pending", remitted_on)
    again_on = days_after(rng, remitted_on, 30, 150)
    granted = rng.random() < 0.5
    if challenged.decision_type == "asylum":
        outcome = rng.choice(("refugee_status", "subsidiary_protection")) if granted else "refuse"
    else:
        outcome = "grant" if granted else challenged.outcome
    code = _event_for(challenged.decision_type, outcome)
    again = (
        timeline.decision(
            code,
            again_on,
            decision_type=challenged.decision_type,
            maker=challenged.decision_maker,
            outcome=outcome,
            grounds=[] if granted else challenged.grounds,
        )
        if code
        else None
    )
    if granted and in_window(again_on):
        timeline.status("procedure", "final_positive", again_on)
        timeline.status("residence", PROTECTED.get(outcome, "temp_resident"), again_on)
        return None
    if again is None:
        return None
    final = days_after(rng, again.served_on, 15, 15)
    timeline.status("procedure", "final_negative", final)
    return final if in_window(final) else None


def _event_for(decision_type: str, outcome: str) -> str | None:
    """The event type recording a decision (None for a grant, which is no event of its own)."""
    if outcome not in NEGATIVE_OUTCOMES:
        return None
    if decision_type == "asylum":
        return "asylum_refused"
    for code, consequence_type, consequence_outcome in CONSEQUENCES:
        if consequence_type == decision_type and consequence_outcome == outcome:
            return code
    return None


def _after_final_negative(timeline: Timeline, final: datetime.date, *, may_claim_asylum: bool) -> None:
    """Residence is over: claim asylum, leave, or stay irregularly and face detention and removal."""
    rng = timeline.rng
    timeline.status("residence", "irregular", final)
    choice = rng.random()
    if may_claim_asylum and choice < 0.3:
        _asylum(timeline, days_after(rng, final, 3, 60))
    elif choice < 0.6:
        left = days_after(rng, final, 10, 90)
        timeline.status("residence", "left_country", left)
        if rng.random() < 0.3:
            _entry_ban(timeline, days_after(rng, left, 5, 90))
    elif choice < 0.85:
        _removal(timeline, days_after(rng, final, 10, 60))


def _asylum(timeline: Timeline, lodged: datetime.date) -> None:
    """An asylum claim: interview, often a delay past six months, a decision, and its appeals."""
    rng = timeline.rng
    if timeline.event("asylum_application_lodged", lodged, "day", abroad=True, perpetrator=MIGRATION) is None:
        return
    timeline.status("residence", "asylum_applicant", lodged)
    timeline.status("procedure", "first_instance_pending", lodged)
    if rng.random() < 0.08:
        _detention(timeline, days_after(rng, lodged, 0, 10), expel=False)
    if rng.random() < 0.9:
        timeline.event("asylum_interview", days_after(rng, lodged, 20, 90), "day", abroad=True, perpetrator=MIGRATION)
    waited = rng.randint(60, 420)
    if waited > 183 and rng.random() < 0.6:
        timeline.event(
            "asylum_decision_delayed",
            days_after(rng, lodged, 184, 200),
            host_precision(rng),
            abroad=True,
            perpetrator=MIGRATION,
        )
    decided = days_after(rng, lodged, waited, waited)
    outcome = rng.choices(*ASYLUM_OUTCOMES)[0]
    if outcome in PROTECTED or outcome == "discontinued_or_withdrawn":
        _asylum_without_event(timeline, decided, outcome)
        return
    grounds = sorted({code for code, share in ASYLUM_REFUSAL_GROUNDS if rng.random() < share})
    grounds = grounds or ["no_well_founded_fear"]
    decision = timeline.decision(
        "asylum_refused", decided, decision_type="asylum", maker=MIGRATION, outcome=outcome, grounds=grounds
    )
    if decision is None:
        return
    final = _contest(timeline, decision, appeal_share=0.65)
    if final is not None:
        _after_final_negative(timeline, final, may_claim_asylum=False)


def _asylum_without_event(timeline: Timeline, decided: datetime.date, outcome: str) -> None:
    """A grant or a discontinued claim: a decision on record with no event of its own."""
    rng = timeline.rng
    served = days_after(rng, decided, 1, 12)
    if not in_window(served):
        return
    timeline.decisions.append(
        DecisionSpec(
            decision_type="asylum",
            decision_maker=MIGRATION,
            outcome=outcome,
            grounds=[],
            decided_on=decided,
            served_on=served,
            reference_number=texts.decision_reference(rng, MIGRATION, decided.year),
        )
    )
    if outcome in PROTECTED:
        timeline.status("procedure", "final_positive", served)
        timeline.status("residence", PROTECTED[outcome], served)
        if outcome == "refugee_status":
            timeline.status("document", "travel_document", days_after(rng, served, 30, 120))
    else:
        timeline.status("residence", "left_country", days_after(rng, served, 5, 60))


def _removal(timeline: Timeline, ordered: datetime.date) -> None:
    """An order to leave; for some detention, expulsion and an entry ban."""
    rng = timeline.rng
    if timeline.event("order_to_leave", ordered, "day", abroad=True, perpetrator=MIGRATION) is None:
        return
    if rng.random() < 0.1:
        timeline.event("absconding", days_after(rng, ordered, 10, 90), host_precision(rng), abroad=True)
        timeline.status("liberty", "in_hiding", days_after(rng, ordered, 10, 90))
        return
    if rng.random() < 0.35:
        _detention(timeline, days_after(rng, ordered, 5, 120), expel=rng.random() < 0.4)


def _detention(timeline: Timeline, detained: datetime.date, *, expel: bool) -> None:
    """Detention at the Foreigners' Registration Centre, then release or expulsion."""
    rng = timeline.rng
    if rng.random() < 0.2:
        timeline.event("alternative_to_detention", detained, "day", abroad=True, perpetrator=BORDER_GUARD)
        timeline.status("liberty", "restricted_movement", detained)
        return
    detention = timeline.decision("detention_ordered", detained, decision_type="detention", maker=BORDER_GUARD)
    if detention is None:
        return
    detention.deadlines_met = True  # a court reviews detention beyond 48 hours
    timeline.status("liberty", "detained_administrative", detained)
    days = min(365, max(2, round(rng.lognormvariate(3.4, 0.8))))
    ended = days_after(rng, detained, days, days)
    if rng.random() < 0.03:
        timeline.event("solitary_confinement", days_after(rng, detained, 1, days), host_precision(rng), abroad=True)
    if not expel:
        if timeline.event("release", ended, "day", abroad=True, perpetrator=BORDER_GUARD) is not None:
            timeline.status("liberty", "free", ended)
        return
    if rng.random() < 0.15:
        timeline.event(
            "echr_rule39_request",
            days_after(rng, detained, 3, days),
            "day",
            abroad=True,
            perpetrator="echr",
            vocabulary=PROCEEDING_STEP,
        )
    if timeline.decision("expulsion_or_deportation", ended, decision_type="expulsion", maker=MIGRATION) is None:
        return
    timeline.status("liberty", "deported", ended)
    timeline.status("residence", "left_country", ended)
    if rng.random() < 0.05:
        timeline.event("refoulement", ended, "day", abroad=True, perpetrator=BORDER_GUARD)
    if rng.random() < 0.8:
        _entry_ban(timeline, ended)


def _entry_ban(timeline: Timeline, imposed: datetime.date) -> None:
    """An entry ban of one to five years, usually with a Schengen alert."""
    rng = timeline.rng
    if timeline.decision("entry_ban_imposed", imposed, decision_type="entry_ban", maker=MIGRATION) is None:
        return
    if rng.random() < 0.7:
        timeline.event("sis_alert_entered", days_after(rng, imposed, 0, 10), "day", abroad=True, perpetrator=MIGRATION)
    years = rng.randint(1, 5)
    timeline.status("residence", "banned_from_entry", imposed, until=imposed + datetime.timedelta(days=365 * years))
