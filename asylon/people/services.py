"""Writes for persons, their military service, relatives and consent. Each function authorises,
validates, writes and appends its audit entry in one transaction."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from asylon.accounts.permissions import require
from asylon.audit import services as audit
from asylon.cases.models import Case, CaseParty, PartyRole
from asylon.common.services import reject_unknown_fields
from asylon.people.lookups import LOOKUP_FIELDS, lookups_refresh
from asylon.people.models import ConsentRecord, Person

PERSON_FIELDS = frozenset(
    {
        "given_name",
        "family_name",
        "patronymic",
        "name_variants",
        "birth_date",
        "contacts",
        "identifiers",
        "addresses",
        "religion",
        "biography",
        "host_country_history",
        "birth_year",
        "sex",
        "citizenship",
        "other_citizenships",
        "country_of_origin",
        "region",
        "entry_year",
        "languages",
        "dependants",
        "vulnerabilities",
        "military_service_category",
        "military_status",
        "claim_basis",
        "objection_declared",
        "draft_evader",
        "deserter",
    }
)


def _derive_birth_year(person: Person) -> None:
    """Keep the clear birth year consistent with the encrypted exact date of birth."""
    if person.birth_date is not None:
        if person.birth_year not in (None, person.birth_date.year):
            raise ValidationError({"birth_year": _("The year of birth does not match the date of birth.")})
        person.birth_year = person.birth_date.year


@transaction.atomic
def person_create(*, actor: Any, case: Case, role: str = PartyRole.CLIENT, **fields: Any) -> Person:
    """Create a person as a party to a case, with their blind indexes."""
    require(actor, "cases.change_case", case)
    reject_unknown_fields(fields, PERSON_FIELDS)
    person = Person(organisation=case.organisation, **fields)
    _derive_birth_year(person)
    person.full_clean()
    party = CaseParty(organisation=case.organisation, case=case, person=person, role=role)
    party.full_clean(exclude=["person"])
    person.save()
    party.save()
    lookups_refresh(person)
    audit.record(actor=actor, action="person.create", target=person, changed_fields=sorted(fields))
    return person


@transaction.atomic
def person_update(*, actor: Any, person: Person, **fields: Any) -> Person:
    """Change a person's fields; blind indexes follow name and identifier changes."""
    require(actor, "people.change_person", person)
    reject_unknown_fields(fields, PERSON_FIELDS)
    for name, value in fields.items():
        setattr(person, name, value)
    _derive_birth_year(person)
    person.full_clean()
    person.save()
    if set(LOOKUP_FIELDS).intersection(fields):
        lookups_refresh(person)
    audit.record(actor=actor, action="person.update", target=person, changed_fields=sorted(fields))
    return person


@transaction.atomic
def consent_record(
    *, actor: Any, person: Person, purpose: str, given_on: datetime.date, note: str = ""
) -> ConsentRecord:
    """Record consent given for one purpose."""
    require(actor, "people.change_person", person)
    if ConsentRecord.objects.filter(person=person, purpose=purpose, withdrawn_on__isnull=True).exists():
        raise ValidationError({"purpose": _("Consent for this purpose is already on record and not withdrawn.")})
    consent = ConsentRecord(
        organisation=person.organisation,
        person=person,
        purpose=purpose,
        given_on=given_on,
        note=note,
        recorded_by=actor,
    )
    consent.full_clean()
    consent.save()
    audit.record(actor=actor, action="consent.give", target=consent, details={"purpose": purpose})
    return consent


@transaction.atomic
def consent_withdraw(*, actor: Any, consent: ConsentRecord, withdrawn_on: datetime.date) -> ConsentRecord:
    """Record that consent was withdrawn; processing it covered stops from that date."""
    require(actor, "people.change_person", consent.person)
    if consent.withdrawn_on is not None:
        raise ValidationError({"withdrawn_on": _("This consent was already withdrawn.")})
    if withdrawn_on < consent.given_on:
        raise ValidationError({"withdrawn_on": _("Consent cannot be withdrawn before it was given.")})
    if withdrawn_on > datetime.date.today():
        raise ValidationError({"withdrawn_on": _("This date is in the future.")})
    consent.withdrawn_on = withdrawn_on
    consent.save(update_fields=["withdrawn_on", "updated_at"])
    audit.record(actor=actor, action="consent.withdraw", target=consent, details={"purpose": consent.purpose})
    return consent
