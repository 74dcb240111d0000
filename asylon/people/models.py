"""Persons (identity encrypted, coarse analytic fields clear), their service, relatives and consent."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from asylon.common.encrypted import EncryptedDateField, EncryptedJSONField, EncryptedTextField
from asylon.common.models import OrganisationOwned, UUIDModel
from asylon.common.validators import country_code, not_in_future, plausible_year


class Sex(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")
    OTHER = "other", _("other")
    UNKNOWN = "unknown", _("unknown")


class MilitaryServiceType(models.TextChoices):
    CONSCRIPT = "conscript", _("conscript")
    CONTRACT = "contract", _("contract soldier")
    RESERVE_TRAINING = "reserve_training", _("reserve training")
    CADET_SCHOOL = "cadet_school", _("cadet school")
    MILITARY_ACADEMY = "military_academy", _("military academy")
    OFFICER = "officer", _("officer")
    BORDER_GUARD = "border_guard", _("border guard")
    INTERNAL_TROOPS = "internal_troops", _("internal troops")
    POLICE = "police", _("police")
    SECURITY_SERVICE = "security_service", _("security service")
    NONE = "none", _("no service")
    UNKNOWN = "unknown", _("unknown")


class Person(OrganisationOwned):
    """A person the organisation works with. Identity, exact dates and contacts are encrypted;
    the clear fields are coarse on purpose (birth year, countries, category) for statistics."""

    given_name = EncryptedTextField(_("given name"), max_length=200)
    family_name = EncryptedTextField(_("family name"), max_length=200)
    patronymic = EncryptedTextField(_("patronymic"), max_length=200)
    name_variants = EncryptedJSONField(
        _("other spellings"), help_text=_("Other scripts and transliterations, as written in documents")
    )
    birth_date = EncryptedDateField(_("date of birth"), validators=[not_in_future])
    contacts = EncryptedJSONField(_("contacts"))
    identifiers = EncryptedJSONField(_("identity documents"), help_text=_("Passport and other document numbers"))
    addresses = EncryptedJSONField(_("addresses"))
    religion = EncryptedTextField(_("religion or belief"), max_length=200)
    biography = EncryptedTextField(_("biographic notes"))
    host_country_history = EncryptedTextField(_("entry route and trips to the country of origin"))

    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"), null=True, blank=True, validators=[plausible_year]
    )
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    citizenship = models.CharField(_("citizenship"), max_length=2, blank=True, db_index=True, validators=[country_code])
    other_citizenships = models.JSONField(_("other citizenships"), default=list, blank=True)
    country_of_origin = models.CharField(
        _("country of origin"), max_length=2, blank=True, db_index=True, validators=[country_code]
    )
    region = models.CharField(_("region of residence"), max_length=60, blank=True)
    entry_year = models.PositiveSmallIntegerField(
        _("year of entry to the host country"), null=True, blank=True, validators=[plausible_year]
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    dependants = models.PositiveSmallIntegerField(_("dependants"), default=0)
    vulnerabilities = models.JSONField(_("vulnerability flags"), default=list, blank=True)
    military_service_category = models.CharField(
        _("military service"),
        max_length=20,
        choices=MilitaryServiceType.choices,
        default=MilitaryServiceType.UNKNOWN,
        db_index=True,
    )
    military_status = models.JSONField(
        _("military legal status"),
        default=list,
        blank=True,
        help_text=_("registered, liable for mobilisation, deferment, summons received, criminal case in origin"),
    )
    claim_basis = models.ForeignKey(
        "vocab.Term", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("claim basis")
    )
    objection_declared = models.BooleanField(_("objection declared"), default=False)
    draft_evader = models.BooleanField(_("draft evader"), default=False)
    deserter = models.BooleanField(_("deserter"), default=False)

    class Meta:
        verbose_name = _("person")


class LookupKind(models.TextChoices):
    NAME = "name", _("name")
    IDENTIFIER = "identifier", _("identifier")


class PersonLookup(models.Model):
    """A blind index of a person: a keyed digest of one normalised name or identifier token."""

    id = models.BigAutoField(primary_key=True)
    # Indexed by `person_lookup_digest`, which leads with it.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="lookups")
    kind = models.CharField(max_length=12, choices=LookupKind.choices)
    digest = models.BinaryField(max_length=16)

    class Meta:
        indexes = [models.Index(fields=["organisation", "kind", "digest"], name="person_lookup_digest")]

    def __str__(self) -> str:
        return f"personlookup:{self.pk}"


class MilitaryServicePeriod(OrganisationOwned):
    """A period of military or security service; the unit and rank are sensitive and encrypted."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="service_periods")
    service_type = models.CharField(_("type"), max_length=20, choices=MilitaryServiceType.choices)
    start_year = models.PositiveSmallIntegerField(_("from (year)"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("to (year)"), null=True, blank=True)
    unit = EncryptedTextField(_("unit"), max_length=300)
    rank = EncryptedTextField(_("rank"), max_length=100)
    role = EncryptedTextField(_("role"), max_length=200)
    combat_exposure = models.BooleanField(_("combat exposure"), null=True, blank=True)


class RelationshipKind(models.TextChoices):
    PARENT = "parent", _("parent")
    CHILD = "child", _("child")
    SPOUSE = "spouse", _("spouse or partner")
    SIBLING = "sibling", _("sibling")
    OTHER = "other", _("other relative")


class Relationship(OrganisationOwned):
    """A relative, either another person on record or described (encrypted) when not."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships")
    relative = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(_("relationship"), max_length=10, choices=RelationshipKind.choices)
    description = EncryptedTextField(_("name and details"), max_length=1000)
    in_security_structures = models.BooleanField(_("works in security structures"), default=False)
    under_pressure = models.BooleanField(_("under pressure in the country of origin"), default=False)


class ConsentPurpose(models.TextChoices):
    CASEWORK = "casework", _("casework and legal assistance")
    PUBLICATION = "publication", _("publication of the case")
    ALERT = "alert", _("urgent-action alerts")
    SHARING = "sharing", _("sharing with partner organisations")
    STATISTICS = "statistics", _("anonymous statistics")


class ConsentRecord(OrganisationOwned):
    """Consent given (and perhaps withdrawn) for one purpose, with who recorded it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    given_on = models.DateField(_("given on"), validators=[not_in_future])
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    recorded_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    note = EncryptedTextField(_("note"), max_length=2000)

    @property
    def active(self) -> bool:
        return self.withdrawn_on is None


class TombstoneReason(models.TextChoices):
    MERGED = "merged", _("merged into another record")
    ERASED = "erased", _("erased on request")


class PersonTombstone(UUIDModel):
    """What remains of a merged or erased person: the old id and why, no personal data."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    former_person_id = models.UUIDField(unique=True)
    reason = models.CharField(max_length=10, choices=TombstoneReason.choices)
    successor_id = models.UUIDField(null=True, blank=True)


class DuplicateStatus(models.TextChoices):
    OPEN = "open", _("to be reviewed")
    DISMISSED = "dismissed", _("not the same person")
    MERGED = "merged", _("merged")


class DuplicateCandidate(UUIDModel):
    """Two persons who are probably the same, kept once per unordered pair (`person` has the smaller id)
    so a decision (dismissed, merged) is never proposed again. Reasons are codes, never personal values.
    After a merge the row keeps only the survivor (`other` empty): the merged id lives on in the tombstone."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("score"))
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=DuplicateStatus.choices, default=DuplicateStatus.OPEN)
    decided_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "other"], name="duplicate_candidate_pair"),
            models.CheckConstraint(condition=models.Q(person__lt=models.F("other")), name="duplicate_candidate_order"),
        ]
        indexes = [models.Index(fields=["organisation", "status"], name="duplicate_candidate_status")]
