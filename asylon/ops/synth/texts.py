"""Narrative text for synthetic records (descriptions, summaries, notes) and document numbers.

Every narrative says it is synthetic, so a demo screen or an export can never be mistaken for a
real person's file.
"""

from __future__ import annotations

import random

from asylon.ops.synth.profiles import Profile

SYNTHETIC = "Synthetic record."
COUNTRY_NAMES = {"BY": "Belarus", "RU": "Russia", "UA": "Ukraine"}
EVASION_ARTICLE = {
    "BY": "Art. 435 of the Criminal Code of Belarus (evasion of call-up)",
    "RU": "Art. 328 of the Criminal Code of Russia (evasion of military service)",
    "UA": "Art. 336 of the Criminal Code of Ukraine (evasion of mobilisation)",
}
DESERTION_ARTICLE = {
    "BY": "Art. 447 of the Criminal Code of Belarus (desertion)",
    "RU": "Art. 338 of the Criminal Code of Russia (desertion)",
    "UA": "Art. 408 of the Criminal Code of Ukraine (desertion)",
}

EVENT_TEXTS: dict[str, tuple[str, ...]] = {
    "summons_issued": (
        "Summons delivered to the registered address in {region}; relatives were told he must report.",
        "Summons sent to the military commissariat of {region} file; he did not report.",
        "Electronic summons recorded against his name.",
    ),
    "call_up_regular": ("Called up for regular conscript service.",),
    "call_up_mobilisation": ("Called up under the mobilisation order; left before reporting.",),
    "reserve_training_call": ("Called to reserve training at a unit in {region}.",),
    "exit_ban_imposed": ("Barred from leaving {country} as a person liable for military service.",),
    "criminal_case_opened": ("Criminal case opened under {article}.",),
    "search_or_wanted_notice": ("Placed on the wanted list by the police of {region}.",),
    "trial_in_absentia": ("Tried in absentia in special proceedings under {article}.",),
    "conviction": ("Convicted in absentia under {article}; sentenced to imprisonment.",),
    "added_to_extremist_list": ("Name added to the list of 'extremist' persons.",),
    "added_to_terrorist_list": ("Name added to the list of persons 'involved in terrorist activity'.",),
    "consular_service_denied": ("Consulate refused to renew the passport abroad.",),
    "passport_expired_abroad": ("National passport expired while abroad; no renewal possible.",),
    "pressure_on_family": (
        "Parents questioned by the military commissariat about where their child is.",
        "Police visited relatives in {region} and demanded the person's return.",
    ),
    "interrogation": ("Questioned by the security service about contacts abroad.",),
    "arrest": ("Arrested after a peaceful protest in {region}.",),
    "detention": ("Held in administrative detention after arrest.",),
    "property_confiscation": ("Property in {region} confiscated after the conviction.",),
    "alternative_service_denied": ("Application for alternative service rejected.",),
    "questionnaire_submitted": ("Security questionnaire submitted with the residence application.",),
    "security_service_referral": ("Application referred to the State Security Department for vetting.",),
    "security_service_negative_conclusion": (
        "State Security Department gave a negative conclusion; reasons withheld.",
    ),
    "declared_national_security_threat": ("Declared a threat to national security without specific accusations.",),
    "temp_residence_refused": ("Temporary residence permit refused on national-security grounds.",),
    "temp_residence_revoked": ("Temporary residence permit revoked.",),
    "temp_residence_not_extended": ("Replacement of the temporary residence permit refused.",),
    "visa_refused": ("National visa refused.",),
    "asylum_application_lodged": ("Asylum application lodged with the Migration Department.",),
    "asylum_interview": ("Asylum interview held with an interpreter.",),
    "asylum_refused": ("Asylum refused; military duty considered a legitimate obligation.",),
    "order_to_leave": ("Ordered to leave Lithuania.",),
    "detention_ordered": ("Detained at the Foreigners' Registration Centre.",),
    "release": ("Released from the Foreigners' Registration Centre.",),
    "expulsion_or_deportation": ("Expelled from Lithuania.",),
    "entry_ban_imposed": ("Entry ban to Lithuania imposed.",),
    "sis_alert_entered": ("Alert entered in the Schengen Information System.",),
}
CASE_SUMMARIES = (
    "Residence and protection case of a {nationality} {who} in Lithuania.",
    "Legal assistance after a national-security decision; {nationality} {who}.",
)
NOTE_TEXTS = (
    "Client called; documents for the appeal collected.",
    "Discussed risks of return with the client; wants to continue the appeal.",
    "Interpreter needed for the next meeting.",
    "Client asked that relatives are not contacted.",
)
PRIVILEGED_NOTE_TEXTS = (
    "Legal strategy: argue the conclusion gives no specific facts; request the classified file.",
    "Advice given on the prospects of a second-tier appeal.",
)
RELATIVE_TEXTS = {
    "parent": ("Mother, lives in {region}.", "Father, lives in {region}."),
    "spouse": ("Spouse, lives with him in Lithuania.", "Spouse, remained in {region}."),
    "sibling": ("Brother, lives in {region}.", "Sister, lives in {region}."),
    "child": ("Child, lives with the family in Lithuania.",),
}
CONSENT_NOTES = ("Given orally in the presence of an interpreter.", "Signed form on file.")
ROUTES = {
    "BY": ("by land across the Belarus–Lithuania border", "via Russia and Latvia", "by air via Georgia"),
    "RU": ("via Kazakhstan and by air", "via Georgia and by air", "by land via Latvia"),
    "UA": ("via Poland", "by land via Poland and Latvia"),
}


def _nationality(citizenship: str) -> str:
    return {"BY": "Belarusian", "RU": "Russian", "UA": "Ukrainian"}[citizenship]


def event_description(rng: random.Random, code: str, profile: Profile) -> str | None:
    """A short description of an event, or None where the code has no template."""
    templates = EVENT_TEXTS.get(code)
    if templates is None:
        return None
    articles = DESERTION_ARTICLE if profile.deserter else EVASION_ARTICLE
    text = rng.choice(templates).format(
        region=profile.origin_region,
        country=COUNTRY_NAMES[profile.citizenship],
        article=articles[profile.citizenship],
    )
    return f"{SYNTHETIC} {text}"


def decision_reference(rng: random.Random, maker: str, year: int) -> str:
    """A decision number in the style of the issuing body."""
    number = rng.randint(1000, 99999)
    if maker == "regional_admin_court":
        return f"eI-{number}-{rng.randint(100, 999)}/{year}"
    if maker == "supreme_admin_court":
        return f"eA-{number}-{rng.randint(100, 999)}/{year}"
    return f"({rng.randint(10, 19)}/{rng.randint(1, 9)}-{rng.randint(10, 99)}){number}"


def court_reference(rng: random.Random, court: str, year: int) -> str:
    """A court case number."""
    prefix = "eA" if court == "supreme_admin_court" else "eI"
    return f"{prefix}-{rng.randint(1000, 99999)}/{year}"


def case_summary(rng: random.Random, profile: Profile) -> str:
    """A one-line summary of the case."""
    who = "woman" if profile.female else rng.choice(("draft evader", "conscientious objector", "man"))
    if profile.deserter:
        who = "deserter"
    return f"{SYNTHETIC} " + rng.choice(CASE_SUMMARIES).format(nationality=_nationality(profile.citizenship), who=who)


def biography(profile: Profile) -> str:
    """Biographic notes drawn from the profile."""
    service = ", ".join(
        f"{kind.replace('_', ' ')} {start}–{end or 'departure'}" for kind, start, end in profile.services
    )
    served = f" Service: {service}." if service else ""
    return f"{SYNTHETIC} Born {profile.birth_year}, from {profile.origin_region}.{served}"


def host_country_history(rng: random.Random, profile: Profile) -> str:
    """Entry route and trips back to the country of origin."""
    route = rng.choice(ROUTES[profile.citizenship])
    trips = "no trips back since" if rng.random() < 0.85 else "one trip back to visit a sick parent"
    return f"{SYNTHETIC} Entered Lithuania {profile.entry_date:%B %Y} {route}; {trips}."


def note(rng: random.Random, privileged: bool) -> str:
    """A case note; privileged ones are a lawyer's advice."""
    return f"{SYNTHETIC} " + rng.choice(PRIVILEGED_NOTE_TEXTS if privileged else NOTE_TEXTS)


def relative(rng: random.Random, kind: str, profile: Profile) -> str:
    """Who a relative is and where they live (no name)."""
    return f"{SYNTHETIC} " + rng.choice(RELATIVE_TEXTS[kind]).format(region=profile.origin_region)


def consent_note(rng: random.Random) -> str:
    """How consent was given."""
    return rng.choice(CONSENT_NOTES)


def military_unit(rng: random.Random) -> str:
    """A military unit number (five digits, as units are designated)."""
    return f"military unit {rng.randint(10000, 99999)}"
