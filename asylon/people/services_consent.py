"""Consent withdrawal and the processing it stops (docs/gdpr.md, "Consent").

Withdrawing consent for a purpose stops the processing that purpose covered, from then on:

- publication: the person's events and documents are no longer marked publishable (and cannot be marked
  again), and the person is left out of every published count (statistics pages, reports, open data);
- statistics: the person is left out of every aggregate count;
- alert: the person's events are no longer marked safe for urgent-action alerts (and cannot be again);
- sharing: cases the person is party to are left out of every export (the subject access export aside);
- casework: the person's record is restricted (GDPR Art. 18): it can be read, exported to them and erased,
  but nothing about them is written or changed until consent is given again.

Giving consent again (`consent_record`) lifts the stop; flags cleared at withdrawal stay cleared until
someone sets them again. The checks below are what the write services call to enforce it.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from asylon.accounts.permissions import require
from asylon.audit import services as audit
from asylon.cases.models import Event
from asylon.evidence.models import Document
from asylon.people.models import ConsentPurpose, ConsentRecord, Person
from asylon.people.selectors_consent import consent_withdrawn

# What withdrawing each purpose stops, as the withdrawal page tells the person recording it.
WITHDRAWAL_STOPS = {
    ConsentPurpose.PUBLICATION: gettext_lazy(
        "Their events and documents will no longer be marked publishable and cannot be marked again, and they "
        "will be left out of every published count: statistics, reports and open data."
    ),
    ConsentPurpose.STATISTICS: gettext_lazy("They will be left out of every statistical count."),
    ConsentPurpose.ALERT: gettext_lazy(
        "Their events will no longer be marked safe for urgent-action alerts and cannot be marked again."
    ),
    ConsentPurpose.SHARING: gettext_lazy("The cases they are party to will be left out of every export."),
    ConsentPurpose.CASEWORK: gettext_lazy(
        "Their record will be restricted: it can still be read, given to them and erased, but nothing about "
        "them can be written until they give consent again."
    ),
}


def _stop(consent: ConsentRecord) -> dict[str, int]:
    """Clear what the withdrawn purpose allowed on the person's records; counts of rows changed."""
    person = consent.person
    if consent.purpose == ConsentPurpose.PUBLICATION:
        events = Event.objects.filter(person=person, consent_to_publish=True)
        documents = Document.objects.filter(Q(person=person) | Q(event__person=person), consent_to_publish=True)
        return {
            "events_unpublishable": events.update(consent_to_publish=False),
            "documents_unpublishable": documents.update(consent_to_publish=False),
        }
    if consent.purpose == ConsentPurpose.ALERT:
        return {"events_not_alert_safe": Event.objects.filter(person=person, alert_safe=True).update(alert_safe=False)}
    return {}


@transaction.atomic
def consent_withdraw(*, actor: Any, consent: ConsentRecord, withdrawn_on: datetime.date) -> ConsentRecord:
    """Record that consent was withdrawn and stop the processing it covered, from that date on."""
    require(actor, "people.change_consentrecord", consent.person)
    consent = ConsentRecord.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_on is not None:
        raise ValidationError({"withdrawn_on": _("This consent was already withdrawn.")})
    if withdrawn_on < consent.given_on:
        raise ValidationError({"withdrawn_on": _("Consent cannot be withdrawn before it was given.")})
    if withdrawn_on > timezone.localdate():
        raise ValidationError({"withdrawn_on": _("This date is in the future.")})
    consent.withdrawn_on = withdrawn_on
    consent.save(update_fields=["withdrawn_on", "updated_at"])
    stopped = _stop(consent)
    audit.record(
        actor=actor,
        action="consent.withdraw",
        target=consent,
        details={"purpose": consent.purpose, "person_id": str(consent.person_id), "stopped": stopped},
    )
    return consent


def _refusal(purpose: str) -> str:
    if purpose == ConsentPurpose.PUBLICATION:
        return _("The person withdrew consent to publication, so this cannot be marked publishable.")
    if purpose == ConsentPurpose.ALERT:
        return _("The person withdrew consent to urgent-action alerts, so this cannot be marked safe for alerts.")
    return _(
        "The person withdrew consent to casework, so their record is restricted: nothing about them can be "
        "written until consent is given again."
    )


def consent_not_withdrawn(*, person: Person | Any, purpose: str, field: str) -> None:
    """Refuse (ValidationError on `field`) processing of a person for a purpose whose consent they withdrew."""
    if person is not None and consent_withdrawn(person=person, purpose=purpose):
        raise ValidationError({field: _refusal(purpose)})


def casework_allowed(*, person: Person | Any, field: str = "person") -> None:
    """Refuse a write about a person whose casework consent is withdrawn (their record is restricted)."""
    consent_not_withdrawn(person=person, purpose=ConsentPurpose.CASEWORK, field=field)


def flags_allowed(*, person: Person | Any, fields: dict[str, Any]) -> None:
    """Refuse setting an event's or a document's publication or alert flag for a person who withdrew that consent."""
    if fields.get("consent_to_publish"):
        consent_not_withdrawn(person=person, purpose=ConsentPurpose.PUBLICATION, field="consent_to_publish")
    if fields.get("alert_safe"):
        consent_not_withdrawn(person=person, purpose=ConsentPurpose.ALERT, field="alert_safe")
