"""Reads for the case page: the case and its records as the viewer's clearance allows (asylon/cases/record_views.py)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch
from django.utils import timezone

from asylon.accounts.clearance import Level, Redacted, field_level
from asylon.audit import reads
from asylon.cases.models import (
    Case,
    CaseMembership,
    CaseParty,
    Deadline,
    DeadlineStatus,
    Decision,
    Event,
    Hearing,
    Intervention,
    Proceeding,
    StatusPeriod,
    Task,
)
from asylon.cases.record_views import (
    PERSON_NAME_FIELDS,
    case_clearance,
    coarse_date,
    record_views,
    term_label,
    user_name,
)
from asylon.cases.selectors import case_if_visible, notes_of_case
from asylon.cases.statuses import STATUS_VALUES, StatusKind
from asylon.common.models import DatePrecision


def notes_display(*, user: Any, case: Case) -> list[Redacted]:
    """Notes of a visible case as the user may see them (bodies need confidential clearance;
    privileged notes are not even listed for anyone but the case's lawyers)."""
    import rules

    notes = list(notes_of_case(user=user, case=case).select_related("author"))
    privileged_allowed = rules.has_perm("cases.view_privileged_note", user, case)
    return record_views(
        notes,
        clearance=case_clearance(user, case),
        derived={"author_name": ("author", lambda n: user_name(n.author))},
        withheld=lambda n: {"body"} if n.privileged and not privileged_allowed else set(),
    )


def case_overview(*, user: Any, case: Case) -> Redacted:
    """The case as the user may see it, with the labels of its status, risk and lead."""
    return record_views(
        [case],
        clearance=case_clearance(user, case),
        derived={
            "status_label": ("status", lambda c: c.get_status_display()),
            "risk_label": ("risk", lambda c: c.get_risk_display()),
            "lead_name": ("lead_assignee", lambda c: user_name(c.lead_assignee)),
        },
    )[0]


@dataclass
class PartyView:
    """A person's part in the case: the party record and the person as the viewer may see them."""

    pk: Any
    id: Any
    role_label: str
    person: Redacted


def parties_display(*, user: Any, case: Case) -> list[PartyView]:
    """The persons party to a visible case (clients first), names only within the viewer's clearance."""
    level = case_clearance(user, case)
    parties = list(
        CaseParty.objects.filter(case__in=case_if_visible(user, case))
        .select_related("person")
        .order_by("role", "created_at")
    )
    reads.shown(parties)
    reads.shown([party.person for party in parties])
    persons = record_views([party.person for party in parties], clearance=level, fields=PERSON_NAME_FIELDS)
    return [
        PartyView(pk=party.pk, id=party.pk, role_label=party.get_role_display(), person=person)  # type: ignore[attr-defined]
        for party, person in zip(parties, persons, strict=True)
    ]


@dataclass
class StatusGroup:
    """The dated statuses of one kind (residence, procedure, liberty, document)."""

    kind: str
    label: str
    periods: list[Redacted] = field(default_factory=list)


def _period_dates(period: StatusPeriod, level: Level) -> dict[str, Any]:
    when: datetime.date | None
    precision: str
    if field_level(StatusPeriod, "started_on") <= level and period.started_on:
        when, precision = period.started_on, DatePrecision.DAY
    else:
        when, precision = coarse_date(period.start_year, period.start_month)
    until = period.ended_on if field_level(StatusPeriod, "ended_on") <= level else None
    return {"when": when, "when_precision": precision, "until": until, "until_precision": DatePrecision.DAY}


def status_groups_display(*, user: Any, case: Case) -> list[StatusGroup]:
    """The case's status histories grouped by kind, each oldest first, the current one marked."""
    level = case_clearance(user, case)
    periods = list(
        StatusPeriod.objects.filter(case__in=case_if_visible(user, case)).order_by(
            "kind", "start_year", "start_month", "created_at"
        )
    )
    reads.shown(periods)
    groups = {kind: StatusGroup(kind=kind, label=str(label)) for kind, label in StatusKind.choices}
    views = record_views(
        periods,
        clearance=level,
        derived={
            "status_label": ("status", lambda p: STATUS_VALUES.get(p.kind, {}).get(p.status, p.status)),
            "dates": ("status", lambda p: _period_dates(p, level)),
        },
    )
    for period, view in zip(periods, views, strict=True):
        dated = Redacted(
            {**{name: view[name] for name in view}, **view["dates"]}, view.hidden, "cases.statusperiod", view.pk
        )
        groups.setdefault(period.kind, StatusGroup(kind=period.kind, label=period.kind)).periods.append(dated)
    for group in groups.values():
        group.periods.sort(key=lambda p: (p["when"] or datetime.date.max,))
    return [group for group in groups.values() if group.periods]


@dataclass
class TimelineItem:
    """One entry of the case timeline: what kind of record, when (at which precision), and the record."""

    kind: str
    when: datetime.date | None
    precision: str
    record: Redacted

    @property
    def sort_key(self) -> tuple[datetime.date, int]:
        order = {"event": 0, "decision": 1, "proceeding": 2, "intervention": 3}
        return (self.when or datetime.date.max, order[self.kind])


def _deadline_views(deadlines: Iterable[Deadline], level: Level) -> list[Redacted]:
    today = timezone.localdate()
    return record_views(
        deadlines,
        clearance=level,
        derived={
            "status_label": ("status", lambda d: d.get_status_display()),
            "rule_name": ("legal_rule", lambda d: d.legal_rule.label() if d.legal_rule else ""),
            "overdue": ("due_on", lambda d: d.status == DeadlineStatus.OPEN and d.due_on < today),
        },
    )


def _event_when(event: Event, level: Level) -> tuple[datetime.date | None, str]:
    if field_level(Event, "occurred_on") <= level and event.occurred_on:
        return event.occurred_on, event.date_precision
    return coarse_date(event.year, event.month)


def _decision_served(decision: Decision, level: Level) -> tuple[datetime.date | None, str]:
    if field_level(Decision, "served_on") <= level and decision.served_on:
        return decision.served_on, DatePrecision.DAY
    return coarse_date(decision.served_year, decision.served_month)


def _proceeding_when(proceeding: Proceeding, level: Level) -> tuple[datetime.date | None, str]:
    if field_level(Proceeding, "lodged_on") <= level and proceeding.lodged_on:
        return proceeding.lodged_on, DatePrecision.DAY
    return coarse_date(proceeding.lodged_year, None)


def timeline_display(*, user: Any, case: Case) -> list[TimelineItem]:
    """Events, decisions (with their deadlines), proceedings (with hearings) and interventions of a
    visible case in chronological order, each date at the precision it is known to."""
    level = case_clearance(user, case)
    visible = case_if_visible(user, case)
    events = list(
        Event.objects.filter(case__in=visible).select_related("event_type", "perpetrator").prefetch_related("sources")
    )
    decisions = list(
        Decision.objects.filter(case__in=visible)
        .select_related("decision_type", "decision_maker", "outcome")
        .prefetch_related(
            "grounds", Prefetch("deadlines", queryset=Deadline.objects.select_related("legal_rule").order_by("due_on"))
        )
    )
    proceedings = list(
        Proceeding.objects.filter(case__in=visible)
        .select_related("court", "outcome")
        .prefetch_related(Prefetch("hearings", queryset=Hearing.objects.order_by("scheduled_for")))
    )
    interventions = list(
        Intervention.objects.filter(case__in=visible).select_related("intervention_type", "performed_by")
    )
    for records in (events, decisions, proceedings, interventions):
        reads.shown(records)
    reads.shown([d for decision in decisions for d in decision.deadlines.all()])
    reads.shown([h for proceeding in proceedings for h in proceeding.hearings.all()])

    items: list[TimelineItem] = []
    event_views = record_views(
        events,
        clearance=level,
        derived={
            "type_label": ("event_type", lambda e: term_label(e.event_type)),
            "perpetrator_label": ("perpetrator", lambda e: term_label(e.perpetrator)),
            "violation_status_label": ("violation_status", lambda e: e.get_violation_status_display()),
        },
    )
    for event, view in zip(events, event_views, strict=True):
        when, precision = _event_when(event, level)
        items.append(TimelineItem("event", when, precision, view))
    served = {decision.pk: _decision_served(decision, level) for decision in decisions}  # decrypted once
    decision_views = record_views(
        decisions,
        clearance=level,
        derived={
            "type_label": ("decision_type", lambda d: term_label(d.decision_type)),
            "maker_label": ("decision_maker", lambda d: term_label(d.decision_maker)),
            "outcome_label": ("outcome", lambda d: term_label(d.outcome)),
            "grounds_labels": ("grounds", lambda d: [term_label(t) for t in d.grounds.all()]),
            "served_when": ("served_year", lambda d: served[d.pk][0]),
            "served_precision": ("served_year", lambda d: served[d.pk][1]),
            "deadlines": ("id", lambda d: _deadline_views(d.deadlines.all(), level)),
        },
    )
    for decision, view in zip(decisions, decision_views, strict=True):
        when, precision = served[decision.pk]
        if when is None and field_level(Decision, "decided_on") <= level and decision.decided_on:
            when, precision = decision.decided_on, DatePrecision.DAY
        items.append(TimelineItem("decision", when, precision, view))
    proceeding_views = record_views(
        proceedings,
        clearance=level,
        derived={
            "tier_label": ("tier", lambda p: p.get_tier_display()),
            "court_label": ("court", lambda p: term_label(p.court)),
            "outcome_label": ("outcome", lambda p: term_label(p.outcome)),
            "hearings": ("id", lambda p: record_views(p.hearings.all(), clearance=level)),
        },
    )
    for proceeding, view in zip(proceedings, proceeding_views, strict=True):
        when, precision = _proceeding_when(proceeding, level)
        items.append(TimelineItem("proceeding", when, precision, view))
    intervention_views = record_views(
        interventions,
        clearance=level,
        derived={
            "type_label": ("intervention_type", lambda i: term_label(i.intervention_type)),
            "performed_by_name": ("performed_by", lambda i: user_name(i.performed_by)),
        },
    )
    for intervention, view in zip(interventions, intervention_views, strict=True):
        items.append(TimelineItem("intervention", intervention.carried_out_on, DatePrecision.DAY, view))
    return sorted(items, key=lambda item: item.sort_key)


def open_deadlines_display(*, user: Any, case: Case) -> list[Redacted]:
    """Open deadlines of a visible case, soonest first, overdue ones flagged."""
    deadlines = list(
        Deadline.objects.filter(case__in=case_if_visible(user, case), status=DeadlineStatus.OPEN)
        .select_related("legal_rule")
        .order_by("due_on")
    )
    return _deadline_views(reads.shown(deadlines), case_clearance(user, case))


def open_tasks_display(*, user: Any, case: Case) -> list[Redacted]:
    """Open tasks of a visible case with their assignee, soonest due first (undated last)."""
    today = timezone.localdate()
    tasks = list(
        Task.objects.filter(case__in=case_if_visible(user, case), completed_at__isnull=True)
        .select_related("assignee")
        .order_by(F("due_on").asc(nulls_last=True), "created_at")
    )
    return record_views(
        reads.shown(tasks),
        clearance=case_clearance(user, case),
        derived={
            "assignee_name": ("assignee", lambda t: user_name(t.assignee)),
            "overdue": ("due_on", lambda t: bool(t.due_on and t.due_on < today)),
        },
    )


def documents_display(*, user: Any, case: Case) -> list[Redacted]:
    """Documents of a visible case (metadata only; file names and digests need confidential clearance)."""
    from asylon.evidence.models import Document

    documents = list(
        Document.objects.filter(case__in=case_if_visible(user, case))
        .select_related("uploaded_by")
        .order_by("-created_at")
    )
    return record_views(
        reads.shown(documents),
        clearance=case_clearance(user, case),
        derived={"uploaded_by_name": ("uploaded_by", lambda d: user_name(d.uploaded_by))},
    )


def sources_of_case(*, user: Any, case: Case) -> list[Any]:
    """Public sources cited by the events of a visible case (public citations, not personal data)."""
    from asylon.evidence.models import Source

    cited = Event.sources.through.objects.filter(source=OuterRef("pk"), event__case__in=case_if_visible(user, case))
    return reads.shown(list(Source.objects.filter(Exists(cited)).order_by("title")))


@dataclass
class MemberView:
    """A staff member of the case (staff accounts, not persons the case is about)."""

    pk: Any
    id: Any
    user: Any
    name: str


def members_display(*, user: Any, case: Case) -> list[MemberView]:
    """The staff members of a visible case."""
    memberships = CaseMembership.objects.filter(case__in=case_if_visible(user, case)).select_related("user")
    return [
        MemberView(pk=m.pk, id=m.pk, user=m.user_id, name=user_name(m.user))
        for m in sorted(memberships, key=lambda m: user_name(m.user).casefold())
    ]
