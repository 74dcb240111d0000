"""What a column can become: the import's target keys, their labels, and mappings suggested from headers.

A target key is "<group>.<name>"; the group says which record the value belongs to (the person on
the row, their case, or the row's event). "" means "ignore this column".
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from asylon.vocab.selectors import normalised_label

IGNORE = ""


@dataclass(frozen=True)
class Target:
    """One thing a column can fill; `headers` are header names it is known by (en, ru, be, uk, lt)."""

    label: Promise
    group: str
    headers: tuple[str, ...] = ()


TARGETS: dict[str, Target] = {
    "person.external_id": Target(
        _("Person: your record number"),
        "person",
        ("id", "record id", "external id", "record number", "№", "номер", "нумар", "номер запису", "įrašo nr"),
    ),
    "person.family_name": Target(
        _("Person: family name"),
        "person",
        ("family name", "surname", "last name", "фамилия", "прозвішча", "прізвище", "pavardė"),
    ),
    "person.given_name": Target(
        _("Person: given name"),
        "person",
        ("given name", "first name", "name", "имя", "імя", "ім'я", "vardas"),
    ),
    "person.patronymic": Target(
        _("Person: patronymic"),
        "person",
        ("patronymic", "middle name", "отчество", "імя па бацьку", "по батькові", "tėvavardis"),
    ),
    "person.name_variants": Target(
        _("Person: other spellings (separated by ;)"),
        "person",
        (
            "other spellings",
            "latin name",
            "другие написания",
            "іншыя напісанні",
            "інші написання",
            "kiti rašybos variantai",
        ),
    ),
    "person.birth_date": Target(
        _("Person: date of birth"),
        "person",
        ("date of birth", "birth date", "born", "дата рождения", "дата нараджэння", "дата народження", "gimimo data"),
    ),
    "person.birth_year": Target(
        _("Person: year of birth"),
        "person",
        ("year of birth", "birth year", "год рождения", "год нараджэння", "рік народження", "gimimo metai"),
    ),
    "person.sex": Target(_("Person: sex"), "person", ("sex", "gender", "пол", "пол", "стать", "lytis")),
    "person.citizenship": Target(
        _("Person: citizenship"),
        "person",
        ("citizenship", "nationality", "гражданство", "грамадзянства", "громадянство", "pilietybė"),
    ),
    "person.country_of_origin": Target(
        _("Person: country of origin"),
        "person",
        ("country of origin", "страна происхождения", "краіна паходжання", "країна походження", "kilmės šalis"),
    ),
    "person.region": Target(
        _("Person: region of residence"),
        "person",
        ("region", "регион", "рэгіён", "регіон", "regionas"),
    ),
    "person.entry_year": Target(
        _("Person: year of entry"),
        "person",
        ("year of entry", "entry year", "год въезда", "год уезду", "рік в'їзду", "atvykimo metai"),
    ),
    "person.military_service_category": Target(
        _("Person: military service"),
        "person",
        ("military service", "военная служба", "вайсковая служба", "військова служба", "karo tarnyba"),
    ),
    "person.claim_basis": Target(
        _("Person: claim basis"),
        "person",
        ("claim basis", "основание", "падстава", "підстава", "prašymo pagrindas"),
    ),
    "person.identifier": Target(
        _("Person: identity document number"),
        "person",
        ("passport", "passport number", "паспорт", "номер паспорта", "пашпарт", "паспорт №", "paso numeris"),
    ),
    "person.biography": Target(
        _("Person: biographic notes"),
        "person",
        ("biography", "notes", "биография", "біяграфія", "біографія", "biografija"),
    ),
    "case.reference": Target(
        _("Case: reference"),
        "case",
        (
            "case",
            "case reference",
            "case number",
            "дело",
            "номер дела",
            "справа",
            "номер справы",
            "номер справи",
            "byla",
        ),
    ),
    "case.opened_on": Target(
        _("Case: opened on"),
        "case",
        ("opened on", "case opened", "дата открытия", "дата адкрыцця", "дата відкриття", "atidaryta"),
    ),
    "event.type": Target(
        _("Event: type"),
        "event",
        ("event", "event type", "событие", "тип события", "падзея", "подія", "įvykis", "įvykio tipas"),
    ),
    "event.date": Target(
        _("Event: date"),
        "event",
        ("event date", "date", "дата", "дата события", "дата падзеі", "дата події", "data", "įvykio data"),
    ),
    "event.country": Target(
        _("Event: country"),
        "event",
        ("country", "event country", "страна", "краіна", "країна", "šalis"),
    ),
    "event.region": Target(_("Event: region"), "event", ("event region", "место", "месца", "місце", "vieta")),
    "event.perpetrator": Target(
        _("Event: perpetrator or decision maker"),
        "event",
        ("perpetrator", "decision maker", "исполнитель", "орган", "выканаўца", "виконавець", "vykdytojas"),
    ),
    "event.description": Target(
        _("Event: description"),
        "event",
        ("description", "what happened", "описание", "апісанне", "опис", "aprašymas"),
    ),
}
# Without one of these a row names no one.
NAME_TARGETS = ("person.family_name", "person.given_name")
# Reversed so that the first target listing a header wins.
_BY_HEADER = {normalised_label(header): key for key, target in reversed(TARGETS.items()) for header in target.headers}


def suggested_mapping(headers: list[str]) -> dict[str, str]:
    """A target for each header whose name is known (each target once, first column wins), else ignore."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        key = _BY_HEADER.get(normalised_label(header.rstrip(":*")), IGNORE)
        if key in taken:
            key = IGNORE
        taken.add(key)
        mapping[header] = key
    return mapping
