"""Writes for persons, their military service, relatives and consent. Each function authorises,
validates, writes and appends its audit entry in one transaction."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from asylon.accounts.clearance import clearance_of, field_level
from asylon.accounts.permissions import require
from asylon.audit import services as audit
from asylon.cases.models import Case, CaseParty, PartyRole
from asylon.cases.services.vocabulary import term_for_field
from asylon.common.services import reject_unknown_fields
from asylon.common.validators import plausible_year
from asylon.people.lookups import LOOKUP_FIELDS, lookups_refresh
from asylon.people.models import ConsentRecord, MilitaryServicePeriod, Person, Relationship
from asylon.people.selectors import consent_active, persons_visible_to
from asylon.people.services_consent import casework_allowed
from asylon.vocab import codes

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


def _require_clearance(actor: Any, obj: models.Model, fields: Any) -> None:
    """Refuse to write a field the actor may not read (a form never offers one; this is the backstop)."""
    clearance = clearance_of(actor, obj)
    above = sorted(name for name in fields if clearance is None or field_level(obj, name) > clearance)
    if above:
        raise PermissionDenied(f"fields above clearance: {', '.join(above)}")


def _claim_basis_term(fields: dict[str, Any], organisation: Any) -> None:
    """Forms give the claim basis as a vocabulary code; store the term (or nothing for an empty code)."""
    code = fields.get("claim_basis")
    if isinstance(code, str):
        fields["claim_basis"] = term_for_field("claim_basis", codes.CLAIM_BASIS, code, organisation) if code else None


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
    _claim_basis_term(fields, case.organisation)
    person = Person(organisation=case.organisation, **fields)
    _require_clearance(actor, person, fields)
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
    casework_allowed(person=person, field="__all__")
    reject_unknown_fields(fields, PERSON_FIELDS)
    _require_clearance(actor, person, fields)
    _claim_basis_term(fields, person.organisation)
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
    require(actor, "people.change_consentrecord", person)
    if consent_active(person=person, purpose=purpose):
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


SERVICE_FIELDS = frozenset({"start_year", "end_year", "unit", "rank", "role", "combat_exposure"})


def _check_service_years(period: MilitaryServicePeriod) -> None:
    errors: dict[str, list[Any]] = {}
    for name in ("start_year", "end_year"):
        year = getattr(period, name)
        if year is not None:
            try:
                plausible_year(year)
            except ValidationError as error:
                errors[name] = error.messages
    start, end = period.start_year, period.end_year
    if not errors and start is not None and end is not None and end < start:
        errors["end_year"] = [_("The service cannot end before it started.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def military_service_add(*, actor: Any, person: Person, service_type: str, **fields: Any) -> MilitaryServicePeriod:
    """Record a period of military or security service of a person."""
    require(actor, "people.change_militaryserviceperiod", person)
    casework_allowed(person=person, field="__all__")
    reject_unknown_fields(fields, SERVICE_FIELDS)
    period = MilitaryServicePeriod(organisation=person.organisation, person=person, service_type=service_type, **fields)
    _require_clearance(actor, period, fields)
    _check_service_years(period)
    period.full_clean()
    period.save()
    audit.record(
        actor=actor,
        action="service_period.create",
        target=period,
        changed_fields=sorted(["service_type", *fields]),
        details={"person_id": str(person.pk)},
    )
    return period


@transaction.atomic
def military_service_update(*, actor: Any, period: MilitaryServicePeriod, **fields: Any) -> MilitaryServicePeriod:
    """Change a service period; only the fields given are written."""
    require(actor, "people.change_militaryserviceperiod", period.person)
    casework_allowed(person=period.person, field="__all__")
    reject_unknown_fields(fields, SERVICE_FIELDS | {"service_type"})
    _require_clearance(actor, period, fields)
    for name, value in fields.items():
        setattr(period, name, value)
    _check_service_years(period)
    period.full_clean()
    period.save()
    audit.record(actor=actor, action="service_period.update", target=period, changed_fields=sorted(fields))
    return period


RELATIONSHIP_FIELDS = frozenset({"relative", "description", "in_security_structures", "under_pressure"})


def _check_relative(relationship: Relationship, actor: Any) -> None:
    """A relative on record belongs to the same organisation, is someone else, and is visible to the actor."""
    relative = relationship.relative
    if relative is None:
        return
    if relative.pk == relationship.person_id:
        raise ValidationError({"relative": _("A person cannot be their own relative.")})
    if not persons_visible_to(actor).filter(pk=relative.pk, organisation=relationship.organisation).exists():
        raise ValidationError({"relative": _("This person is not on record in your cases.")})


@transaction.atomic
def relationship_add(*, actor: Any, person: Person, kind: str, **fields: Any) -> Relationship:
    """Record a relative of a person: another person on record, or described when not."""
    require(actor, "people.change_relationship", person)
    casework_allowed(person=person, field="__all__")
    reject_unknown_fields(fields, RELATIONSHIP_FIELDS)
    relationship = Relationship(organisation=person.organisation, person=person, kind=kind, **fields)
    _require_clearance(actor, relationship, fields)
    _check_relative(relationship, actor)
    relationship.full_clean()
    relationship.save()
    audit.record(
        actor=actor,
        action="relationship.create",
        target=relationship,
        changed_fields=sorted(["kind", *fields]),
        details={"person_id": str(person.pk), "kind": kind},
    )
    return relationship


@transaction.atomic
def relationship_update(*, actor: Any, relationship: Relationship, **fields: Any) -> Relationship:
    """Change what is recorded about a relative; only the fields given are written."""
    require(actor, "people.change_relationship", relationship.person)
    casework_allowed(person=relationship.person, field="__all__")
    reject_unknown_fields(fields, RELATIONSHIP_FIELDS | {"kind"})
    _require_clearance(actor, relationship, fields)
    for name, value in fields.items():
        setattr(relationship, name, value)
    if "relative" in fields:
        _check_relative(relationship, actor)
    relationship.full_clean()
    relationship.save()
    audit.record(actor=actor, action="relationship.update", target=relationship, changed_fields=sorted(fields))
    return relationship
