"""What a subject access request (GDPR Art. 15) answers: everything the organisation holds about one person.

`subject_access_data` gathers it, decrypted, by section; each section is a list of records, and each record
keeps its field names (the JSON file) beside their translated labels (the readable file). What is included,
and what is left out because it is someone else's (docs/gdpr.md, "Subject access"):

- the person's own fields, service periods, relatives, consents, the records merged into them;
- what others' records say about them (a relative's entry naming them): the description and kind only;
- every case they are party to: the case's own records (summary, decisions, deadlines, proceedings and
  hearings, interventions, tasks, notes, privileged ones marked) and, of the per-person records (events,
  statuses, documents), theirs and the case's, never another person's;
- the help-form submissions converted into their cases, with their messages;
- the audit entries about them or their records (time and action; the log of who processed their data).

The caller (the service) authorises and audits; this module only reads.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from asylon.audit.models import AuditEntry
from asylon.cases.models import (
    Case,
    CaseParty,
    Deadline,
    Decision,
    Event,
    Hearing,
    Intervention,
    Note,
    Proceeding,
    StatusPeriod,
    Task,
)
from asylon.evidence.models import Document
from asylon.intake.models import IntakeMessage, IntakeSubmission
from asylon.people.models import ConsentRecord, MilitaryServicePeriod, Person, PersonTombstone, Relationship
from asylon.people.services import PERSON_FIELDS

FORMAT = "asylon.subject-access/1"
RECORD_EXTRAS = ("id", "created_at", "updated_at")
# Foreign keys given by their vocabulary code (a term) or left out (staff, other records) in the export.
TERM_FIELDS = frozenset(
    {"claim_basis", "event_type", "perpetrator", "decision_type", "decision_maker", "outcome", "court"}
)
PERSON_ORDER = sorted(PERSON_FIELDS)
SERVICE_FIELDS = ("service_type", "start_year", "end_year", "unit", "rank", "role", "combat_exposure")
RELATIVE_FIELDS = ("kind", "description", "in_security_structures", "under_pressure")
CONSENT_FIELDS = ("purpose", "given_on", "withdrawn_on", "note")
CASE_FIELDS = ("reference", "status", "risk", "jurisdiction", "opened_on", "closed_on", "summary")
EVENT_FIELDS = (
    "event_type",
    "occurred_on",
    "date_precision",
    "year",
    "month",
    "country",
    "region",
    "perpetrator",
    "description",
    "violation_status",
    "alert_safe",
    "consent_to_publish",
)
DECISION_FIELDS = ("decision_type", "decision_maker", "outcome", "decided_on", "served_on", "reference_number")
DEADLINE_FIELDS = ("kind", "title", "due_on", "status")
PROCEEDING_FIELDS = ("tier", "court", "lodged_on", "outcome", "decided_year", "court_reference")
HEARING_FIELDS = ("scheduled_for", "notes")
INTERVENTION_FIELDS = ("intervention_type", "carried_out_on", "addressee", "description", "response")
TASK_FIELDS = ("title", "due_on", "completed_at")
NOTE_FIELDS = ("body", "privileged")
STATUS_FIELDS = ("kind", "status", "started_on", "ended_on", "current")
DOCUMENT_FIELDS = ("filename", "description", "content_type", "size", "sha256", "redaction_level")
SUBMISSION_FIELDS = ("language", "deadline_on", "status")
MESSAGE_FIELDS = ("direction", "body")
AUDIT_FIELDS = ("created_at", "action", "target_type", "target_id")


# Headings of the nested parts of a record, for the readable file.
CHILD_TITLES = {
    "events": gettext_lazy("Events"),
    "decisions": gettext_lazy("Decisions"),
    "deadlines": gettext_lazy("Deadlines"),
    "proceedings": gettext_lazy("Proceedings"),
    "hearings": gettext_lazy("Hearings"),
    "interventions": gettext_lazy("Interventions"),
    "tasks": gettext_lazy("Tasks"),
    "notes": gettext_lazy("Notes"),
    "statuses": gettext_lazy("Statuses"),
    "documents": gettext_lazy("Documents"),
    "messages": gettext_lazy("Messages"),
}


@dataclass(frozen=True)
class Section:
    """One part of the answer: a key for the JSON file, a translated title, its records."""

    key: str
    title: Any
    records: list[dict[str, Any]]


def _plain(value: Any) -> Any:
    """A value as JSON holds it (dates as ISO text, terms by code)."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, models.Model):
        return getattr(value, "code", str(value.pk))
    return value


def _shown(obj: models.Model, name: str, value: Any) -> Any:
    """A value as the readable file shows it: a choice by its label, a term by its label, yes/no."""
    if value is None or value in ("", [], {}):
        return "—"
    model_field = obj._meta.get_field(name)
    if getattr(model_field, "choices", None):
        return getattr(obj, f"get_{name}_display")()
    if isinstance(value, models.Model):
        return str(getattr(value, "label", "") or getattr(value, "code", value.pk))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)
    return value


def record(obj: models.Model, names: tuple[str, ...] | list[str], **children: list[dict[str, Any]]) -> dict[str, Any]:
    """One record: `data` (field name -> value, for JSON), `rows` ((label, shown value), for people) and
    nested sections (`children`: name -> records)."""
    data: dict[str, Any] = {"id": str(obj.pk)}
    rows = []
    for name in names:
        value = getattr(obj, name)
        data[name] = _plain(value)
        label = obj._meta.get_field(name).verbose_name  # type: ignore[union-attr]
        rows.append((str(label), _shown(obj, name, value)))
    for extra in ("created_at", "updated_at"):
        if hasattr(obj, extra):
            data[extra] = _plain(getattr(obj, extra))
    parts = [{"title": CHILD_TITLES.get(name, name), "records": records} for name, records in children.items()]
    return {"data": data, "rows": rows, "children": children, "parts": parts}


def _records(queryset: Any, names: tuple[str, ...] | list[str]) -> list[dict[str, Any]]:
    return [record(obj, names) for obj in queryset]


def _case_records(case: Case, person: Person) -> dict[str, Any]:
    """A case the person is party to: the case's own records, and theirs (never another person's)."""
    mine_or_the_case = Q(person=person) | Q(person__isnull=True)
    events = Event.objects.filter(mine_or_the_case, case=case).select_related("event_type", "perpetrator")
    event_ids = [event.pk for event in events]
    decisions = Decision.objects.filter(Q(event_id__in=event_ids) | Q(event__isnull=True), case=case).select_related(
        "decision_type", "decision_maker", "outcome"
    )
    proceedings = [
        record(
            proceeding,
            PROCEEDING_FIELDS,
            hearings=_records(Hearing.objects.filter(proceeding=proceeding).order_by("scheduled_for"), HEARING_FIELDS),
        )
        for proceeding in Proceeding.objects.filter(case=case).select_related("court", "outcome").order_by("created_at")
    ]
    documents = Document.objects.filter(mine_or_the_case, case=case).filter(
        Q(event__isnull=True) | Q(event_id__in=event_ids)
    )
    return record(
        case,
        CASE_FIELDS,
        events=_records(events.order_by("year", "month", "created_at"), EVENT_FIELDS),
        decisions=_records(decisions.order_by("created_at"), DECISION_FIELDS),
        deadlines=_records(Deadline.objects.filter(case=case).order_by("due_on"), DEADLINE_FIELDS),
        proceedings=proceedings,
        interventions=_records(
            Intervention.objects.filter(case=case).select_related("intervention_type").order_by("carried_out_on"),
            INTERVENTION_FIELDS,
        ),
        tasks=_records(Task.objects.filter(case=case).order_by("created_at"), TASK_FIELDS),
        notes=_records(Note.objects.filter(case=case).order_by("created_at"), NOTE_FIELDS),
        statuses=_records(StatusPeriod.objects.filter(case=case, person=person).order_by("created_at"), STATUS_FIELDS),
        documents=_records(documents.order_by("created_at"), DOCUMENT_FIELDS),
    )


def converted_submissions(person: Person, case_ids: list[Any]) -> models.QuerySet[IntakeSubmission]:
    """Help-form submissions converted into the person (named by the conversion's audit entry) or into
    a case where they are the only client."""
    into_person = AuditEntry.objects.filter(
        organisation_id=person.organisation_id, action="intake.convert", details__person_id=str(person.pk)
    ).values_list("target_id", flat=True)
    return IntakeSubmission.objects.filter(
        Q(pk__in=list(into_person)) | Q(converted_case_id__in=case_ids), organisation_id=person.organisation_id
    )


def _submission(submission: IntakeSubmission) -> dict[str, Any]:
    item = record(
        submission,
        SUBMISSION_FIELDS,
        messages=_records(IntakeMessage.objects.filter(submission=submission).order_by("seq"), MESSAGE_FIELDS),
    )
    try:
        payload = json.loads(submission.payload or "{}")
    except ValueError:
        payload = {"text": submission.payload}
    item["data"]["submitted"] = payload
    item["rows"].append((_("What was sent through the help form"), json.dumps(payload, ensure_ascii=False)))
    return item


def _audit_entries(person: Person, ids: set[str]) -> list[dict[str, Any]]:
    """Entries about the person or their records, and the read entries listing the person's id."""
    entries = AuditEntry.objects.filter(organisation_id=person.organisation_id)
    about = entries.filter(target_id__in=sorted(ids))
    reads = (
        entries.filter(action="read")
        .annotate(details_text=Cast("details", TextField()))
        .filter(details_text__contains=str(person.pk))
    )
    rows = (about | entries.filter(pk__in=reads.values("pk"))).order_by("sequence")
    return [
        {
            "data": {name: _plain(getattr(entry, name)) for name in AUDIT_FIELDS},
            "rows": [
                (_("time"), entry.created_at),
                (_("action"), entry.action),
                (_("record"), f"{entry.target_type} {entry.target_id}".strip()),
            ],
            "children": {},
            "parts": [],
        }
        for entry in rows
    ]


def subject_access_data(*, person: Person) -> list[Section]:
    """Everything held about one person, by section (decrypted; the caller authorises and audits)."""
    parties = CaseParty.objects.filter(person=person).select_related("case").order_by("case__reference")
    cases = []
    for party in parties:
        item = _case_records(party.case, person)
        item["data"]["role"] = party.role
        item["rows"].insert(0, (_("role in the case"), party.get_role_display()))
        cases.append(item)
    case_ids = [party.case_id for party in parties]
    sole_cases = [
        case_id
        for case_id in case_ids
        if not CaseParty.objects.filter(case_id=case_id, role__in=("client", "co_applicant"))
        .exclude(person=person)
        .exists()
    ]
    person_record = record(person, PERSON_ORDER)
    sections = [
        Section("person", gettext_lazy("Identity and background"), [person_record]),
        Section(
            "military_service",
            gettext_lazy("Military or security service"),
            _records(MilitaryServicePeriod.objects.filter(person=person).order_by("start_year"), SERVICE_FIELDS),
        ),
        Section(
            "relatives",
            gettext_lazy("Relatives"),
            _records(Relationship.objects.filter(person=person).order_by("created_at"), RELATIVE_FIELDS),
        ),
        Section(
            "named_as_relative",
            gettext_lazy("What others' records say about this person as their relative"),
            _records(Relationship.objects.filter(relative=person).order_by("created_at"), RELATIVE_FIELDS),
        ),
        Section(
            "consents",
            gettext_lazy("Consent"),
            _records(ConsentRecord.objects.filter(person=person).order_by("given_on"), CONSENT_FIELDS),
        ),
        Section("cases", gettext_lazy("Cases"), cases),
        Section(
            "intake_submissions",
            gettext_lazy("Messages sent through the help form"),
            [_submission(item) for item in converted_submissions(person, sole_cases).order_by("created_at")],
        ),
        Section(
            "merged_records",
            gettext_lazy("Earlier records merged into this one"),
            [
                {
                    "data": {"former_id": str(tombstone.former_person_id)},
                    "rows": [(_("former record"), str(tombstone.former_person_id))],
                    "children": {},
                    "parts": [],
                }
                for tombstone in PersonTombstone.objects.filter(successor_id=person.pk).order_by("created_at")
            ],
        ),
    ]
    ids = {str(person.pk), *(str(case_id) for case_id in case_ids)}
    for section in sections:
        for item in section.records:
            ids |= _ids_in(item)
    sections.append(Section("audit", gettext_lazy("Processing recorded in the audit log"), _audit_entries(person, ids)))
    return sections


def _ids_in(item: dict[str, Any]) -> set[str]:
    found = {item["data"]["id"]} if "id" in item["data"] else set()
    for records in item["children"].values():
        for child in records:
            found |= _ids_in(child)
    return found


def as_json(sections: list[Section], *, person: Person, generated_at: datetime.datetime) -> bytes:
    """The machine-readable answer: every section's records with their field names."""

    def data(item: dict[str, Any]) -> dict[str, Any]:
        return {
            **item["data"],
            **{name: [data(child) for child in records] for name, records in item["children"].items()},
        }

    document = {
        "format": FORMAT,
        "generated_at": generated_at.isoformat(),
        "person_id": str(person.pk),
        **{section.key: [data(item) for item in section.records] for section in sections},
    }
    return json.dumps(document, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder).encode()
