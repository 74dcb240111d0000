"""Reads of cases and their records, filtered by who is asking (organisation role and case membership)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Case as Choose
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from asylon.accounts.clearance import Level, Redacted, clearance_of, field_level, redacted
from asylon.accounts.models import Membership, Role
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
    Note,
    PartyRole,
    Proceeding,
    StatusPeriod,
    Task,
)
from asylon.cases.statuses import STATUS_VALUES, StatusKind
from asylon.common.models import DatePrecision
from asylon.vocab import codes
from asylon.vocab.models import Term


def cases_visible_to(user: Any) -> QuerySet[Case]:
    """Cases the user may open: every case of organisations they administer, else their memberships."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Case.objects.none()
    admin_orgs = Membership.objects.filter(user=user, role=Role.ORG_ADMIN).values("organisation_id")
    reader_orgs = Membership.objects.filter(
        user=user, role__in=[Role.CASEWORKER, Role.LAWYER, Role.VIEWER, Role.AUDITOR]
    ).values("organisation_id")
    # Exists rather than a join on memberships: no duplicate rows, so no DISTINCT over the whole list.
    member = CaseMembership.objects.filter(case=OuterRef("pk"), user=user)
    return Case.objects.filter(
        Q(organisation_id__in=admin_orgs) | (Q(organisation_id__in=reader_orgs) & Exists(member))
    )


PERSON_NAME_FIELDS = ("id", "given_name", "family_name")
LISTED_CASE_FIELDS = ("id", "reference", "status", "risk", "lead_assignee", "opened_on")

# Set on a case by the selectors that checked it is visible, to the id of the user they checked for.
_CHECKED_FOR = "_visible_to_user_id"


def _checked(case: Case, user: Any) -> Case:
    setattr(case, _CHECKED_FOR, user.pk)
    return case


def _this_case(user: Any, case: Case) -> Any:
    """The case if the user may open it, as a filter value for `case__in`.

    A case that `case_get`/`case_page_get` fetched for this same user is known to be visible: its
    key alone, so the page's queries do not each repeat the visibility subqueries. Any other case
    is looked up by its key within `cases_visible_to` (not the user's whole list of cases, which the
    database would build for every query of a page).
    """
    if getattr(case, _CHECKED_FOR, None) == getattr(user, "pk", object()):
        return [case.pk]
    return cases_visible_to(user).filter(pk=case.pk)


def case_get(*, user: Any, case_id: Any) -> Case:
    """One case the user may open (Case.DoesNotExist otherwise, so existence is not revealed)."""
    return reads.shown(_checked(cases_visible_to(user).get(pk=case_id), user))


def events_of_case(*, user: Any, case: Case) -> QuerySet[Event]:
    """The events of a visible case in chronological order of their clear year and month."""
    return reads.shown(
        Event.objects.filter(case__in=_this_case(user, case))
        .select_related("event_type", "perpetrator")
        .order_by("year", "month", "created_at")
    )


def notes_of_case(*, user: Any, case: Case) -> QuerySet[Note]:
    """Notes of a visible case; privileged notes only for lawyers who are members of the case."""
    import rules

    notes = Note.objects.filter(case__in=_this_case(user, case))
    if not rules.has_perm("cases.view_privileged_note", user, case):
        notes = notes.filter(privileged=False)
    return reads.shown(notes.order_by("created_at"))


def open_deadlines_of(*, user: Any) -> QuerySet[Deadline]:
    """Open deadlines of the cases the user may open, soonest first."""
    return (
        Deadline.objects.filter(case__in=cases_visible_to(user), status=DeadlineStatus.OPEN)
        .select_related("case")
        .order_by("due_on")
    )


def case_display(*, user: Any, case_id: Any) -> Redacted:
    """A visible case as the user may see it: only the fields their clearance reaches."""
    return redacted(user, case_get(user=user, case_id=case_id))


def notes_display(*, user: Any, case: Case) -> list[Redacted]:
    """Notes of a visible case as the user may see them (bodies need confidential clearance;
    privileged notes are not even listed for anyone but the case's lawyers)."""
    import rules

    notes = list(notes_of_case(user=user, case=case).select_related("author"))
    privileged_allowed = rules.has_perm("cases.view_privileged_note", user, case)
    return _views(
        notes,
        clearance=_clearance(user, case),
        derived={"author_name": ("author", lambda n: _user_name(n.author))},
        withheld=lambda n: {"body"} if n.privileged and not privileged_allowed else set(),
    )


# --- one record of a case, for the page that edits it ---------------------------------------------


def _record_of_case(
    model: type[models.Model], *, user: Any, case: Case, record_id: Any, related: tuple[str, ...] = ()
) -> Any:
    """One record of a visible case (`model.DoesNotExist` for a record of any other case, so its
    existence is not revealed)."""
    records = model._default_manager.filter(case__in=_this_case(user, case), case=case)
    return reads.shown(records.select_related("case", *related).get(pk=record_id))


def event_of_case(*, user: Any, case: Case, event_id: Any) -> Event:
    """An event of a case the user may open (Event.DoesNotExist for any other)."""
    return events_of_case(user=user, case=case).get(pk=event_id)


def note_of_case(*, user: Any, case: Case, note_id: Any) -> Note:
    """A note of a case the user may open; privileged notes only for the case's lawyers (else DoesNotExist)."""
    return notes_of_case(user=user, case=case).get(pk=note_id)


def decision_of_case(*, user: Any, case: Case, decision_id: Any) -> Decision:
    """A decision of a case the user may open (Decision.DoesNotExist for any other)."""
    related = ("decision_type", "decision_maker", "outcome")
    return _record_of_case(Decision, user=user, case=case, record_id=decision_id, related=related)


def proceeding_of_case(*, user: Any, case: Case, proceeding_id: Any) -> Proceeding:
    """A proceeding of a case the user may open (Proceeding.DoesNotExist for any other)."""
    return _record_of_case(Proceeding, user=user, case=case, record_id=proceeding_id, related=("court", "outcome"))


def intervention_of_case(*, user: Any, case: Case, intervention_id: Any) -> Intervention:
    """An intervention of a case the user may open (Intervention.DoesNotExist for any other)."""
    related = ("intervention_type",)
    return _record_of_case(Intervention, user=user, case=case, record_id=intervention_id, related=related)


def status_period_of_case(*, user: Any, case: Case, status_id: Any) -> StatusPeriod:
    """A status period of a case the user may open (StatusPeriod.DoesNotExist for any other)."""
    return _record_of_case(StatusPeriod, user=user, case=case, record_id=status_id)


def task_of_case(*, user: Any, case: Case, task_id: Any) -> Task:
    """A task of a case the user may open (Task.DoesNotExist for any other)."""
    return _record_of_case(Task, user=user, case=case, record_id=task_id, related=("case__organisation",))


def deadline_of_case(*, user: Any, case: Case, deadline_id: Any) -> Deadline:
    """A deadline of a case the user may open (Deadline.DoesNotExist for any other)."""
    return _record_of_case(Deadline, user=user, case=case, record_id=deadline_id, related=("case__organisation",))


@dataclass(frozen=True)
class Member:
    """A staff member of a case (a staff account, not a person the case is about) and their role."""

    user_id: Any
    email: str
    name: str
    role_label: str


def members_with_roles(*, user: Any, case: Case) -> list[Member]:
    """The staff members of a visible case with their role in its organisation, by email."""
    memberships = (
        CaseMembership.objects.filter(case__in=_this_case(user, case), case=case)
        .select_related("user")
        .order_by("user__email")
    )
    roles = dict(
        Membership.objects.filter(organisation=case.organisation, user__case_memberships__case=case).values_list(
            "user_id", "role"
        )
    )
    return [
        Member(
            user_id=membership.user_id,
            email=membership.user.email,
            name=membership.user.display_name,
            role_label=str(Role(roles[membership.user_id]).label) if membership.user_id in roles else _("no role"),
        )
        for membership in memberships
    ]


def member_of_case(*, user: Any, case: Case, user_id: Any) -> Any:
    """A staff account that is a member of a visible case (CaseMembership.DoesNotExist for anyone else)."""
    return (
        CaseMembership.objects.select_related("user")
        .get(case__in=_this_case(user, case), case=case, user_id=user_id)
        .user
    )


# --- the case page -------------------------------------------------------------------------------
# Every record of one case belongs to the case's organisation, so the viewer's clearance is computed
# once per page and applied to each record (`redacted` would ask once per record, and read
# many-to-many fields with a query each). What a view holds is exactly what `redacted` would give,
# plus labels derived from fields the viewer may see (a derived value of a hidden field is hidden too).

Derived = dict[str, tuple[str, Callable[[Any], Any]]]


def _concrete_names(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.get_fields() if f.concrete or f.many_to_many]


def _views(
    objects: Iterable[Any],
    *,
    clearance: Level,
    derived: Derived | None = None,
    withheld: Callable[[Any], set[str]] | None = None,
    fields: Iterable[str] | None = None,
) -> list[Redacted]:
    """Redacted views of records of one organisation for a viewer of `clearance`.

    `fields` limits the view to the fields a page shows (the others are neither read nor decrypted).
    """
    views = []
    wanted = set(fields) if fields is not None else None
    for obj in objects:
        model = type(obj)
        names = [name for name in _concrete_names(model) if wanted is None or name in wanted]
        held = withheld(obj) if withheld else set()
        shown = {name for name in names if name not in held and field_level(model, name) <= clearance}
        values: dict[str, Any] = {}
        for model_field in model._meta.get_fields():
            if model_field.name not in shown:
                continue
            if model_field.many_to_many:
                values[model_field.name] = [related.pk for related in getattr(obj, model_field.name).all()]
            elif model_field.is_relation:
                values[model_field.name] = getattr(obj, model_field.attname)  # type: ignore[union-attr]
            else:
                values[model_field.name] = getattr(obj, model_field.name)
        hidden = set(names) - shown
        for name, (source, compute) in (derived or {}).items():
            if field_level(model, source) <= clearance and source not in held:
                values[name] = compute(obj)
            else:
                hidden.add(name)
        views.append(Redacted(values, frozenset(hidden), model._meta.label_lower, obj.pk))
    return views


def _clearance(user: Any, case: Case) -> Level:
    level = clearance_of(user, case)
    if level is None:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("no role in the case's organisation")
    return level


def _user_name(user: Any) -> str:
    return (user.display_name or user.email) if user is not None else ""


def _label(term: Any) -> str:
    return term.label() if term is not None else ""


def _coarse(year: int | None, month: int | None) -> tuple[datetime.date | None, str]:
    """A date known only by its clear year (and month), with the precision that says so."""
    if not year:
        return None, DatePrecision.YEAR
    if month:
        return datetime.date(year, month, 1), DatePrecision.MONTH
    return datetime.date(year, 1, 1), DatePrecision.YEAR


def case_page_get(*, user: Any, case_id: Any) -> Case:
    """One visible case with what its page header needs (organisation and lead) in the same query."""
    return reads.shown(
        _checked(cases_visible_to(user).select_related("organisation", "lead_assignee").get(pk=case_id), user)
    )


def case_overview(*, user: Any, case: Case) -> Redacted:
    """The case as the user may see it, with the labels of its status, risk and lead."""
    return _views(
        [case],
        clearance=_clearance(user, case),
        derived={
            "status_label": ("status", lambda c: c.get_status_display()),
            "risk_label": ("risk", lambda c: c.get_risk_display()),
            "lead_name": ("lead_assignee", lambda c: _user_name(c.lead_assignee)),
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
    level = _clearance(user, case)
    parties = list(
        CaseParty.objects.filter(case__in=_this_case(user, case))
        .select_related("person")
        .order_by("role", "created_at")
    )
    reads.shown(parties)
    reads.shown([party.person for party in parties])
    persons = _views([party.person for party in parties], clearance=level, fields=PERSON_NAME_FIELDS)
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
        when, precision = _coarse(period.start_year, period.start_month)
    until = period.ended_on if field_level(StatusPeriod, "ended_on") <= level else None
    return {"when": when, "when_precision": precision, "until": until, "until_precision": DatePrecision.DAY}


def status_groups_display(*, user: Any, case: Case) -> list[StatusGroup]:
    """The case's status histories grouped by kind, each oldest first, the current one marked."""
    level = _clearance(user, case)
    periods = list(
        StatusPeriod.objects.filter(case__in=_this_case(user, case)).order_by(
            "kind", "start_year", "start_month", "created_at"
        )
    )
    reads.shown(periods)
    groups = {kind: StatusGroup(kind=kind, label=str(label)) for kind, label in StatusKind.choices}
    views = _views(
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
    return _views(
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
    return _coarse(event.year, event.month)


def _decision_served(decision: Decision, level: Level) -> tuple[datetime.date | None, str]:
    if field_level(Decision, "served_on") <= level and decision.served_on:
        return decision.served_on, DatePrecision.DAY
    return _coarse(decision.served_year, decision.served_month)


def _proceeding_when(proceeding: Proceeding, level: Level) -> tuple[datetime.date | None, str]:
    if field_level(Proceeding, "lodged_on") <= level and proceeding.lodged_on:
        return proceeding.lodged_on, DatePrecision.DAY
    return _coarse(proceeding.lodged_year, None)


def timeline_display(*, user: Any, case: Case) -> list[TimelineItem]:
    """Events, decisions (with their deadlines), proceedings (with hearings) and interventions of a
    visible case in chronological order, each date at the precision it is known to."""
    level = _clearance(user, case)
    visible = _this_case(user, case)
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
    event_views = _views(
        events,
        clearance=level,
        derived={
            "type_label": ("event_type", lambda e: _label(e.event_type)),
            "perpetrator_label": ("perpetrator", lambda e: _label(e.perpetrator)),
            "violation_status_label": ("violation_status", lambda e: e.get_violation_status_display()),
        },
    )
    for event, view in zip(events, event_views, strict=True):
        when, precision = _event_when(event, level)
        items.append(TimelineItem("event", when, precision, view))
    decision_views = _views(
        decisions,
        clearance=level,
        derived={
            "type_label": ("decision_type", lambda d: _label(d.decision_type)),
            "maker_label": ("decision_maker", lambda d: _label(d.decision_maker)),
            "outcome_label": ("outcome", lambda d: _label(d.outcome)),
            "grounds_labels": ("grounds", lambda d: [_label(t) for t in d.grounds.all()]),
            "served_when": ("served_year", lambda d: _decision_served(d, level)[0]),
            "served_precision": ("served_year", lambda d: _decision_served(d, level)[1]),
            "deadlines": ("id", lambda d: _deadline_views(d.deadlines.all(), level)),
        },
    )
    for decision, view in zip(decisions, decision_views, strict=True):
        when, precision = _decision_served(decision, level)
        if when is None and field_level(Decision, "decided_on") <= level and decision.decided_on:
            when, precision = decision.decided_on, DatePrecision.DAY
        items.append(TimelineItem("decision", when, precision, view))
    proceeding_views = _views(
        proceedings,
        clearance=level,
        derived={
            "tier_label": ("tier", lambda p: p.get_tier_display()),
            "court_label": ("court", lambda p: _label(p.court)),
            "outcome_label": ("outcome", lambda p: _label(p.outcome)),
            "hearings": ("id", lambda p: _views(p.hearings.all(), clearance=level)),
        },
    )
    for proceeding, view in zip(proceedings, proceeding_views, strict=True):
        when, precision = _proceeding_when(proceeding, level)
        items.append(TimelineItem("proceeding", when, precision, view))
    intervention_views = _views(
        interventions,
        clearance=level,
        derived={
            "type_label": ("intervention_type", lambda i: _label(i.intervention_type)),
            "performed_by_name": ("performed_by", lambda i: _user_name(i.performed_by)),
        },
    )
    for intervention, view in zip(interventions, intervention_views, strict=True):
        items.append(TimelineItem("intervention", intervention.carried_out_on, DatePrecision.DAY, view))
    return sorted(items, key=lambda item: item.sort_key)


def open_deadlines_display(*, user: Any, case: Case) -> list[Redacted]:
    """Open deadlines of a visible case, soonest first, overdue ones flagged."""
    deadlines = list(
        Deadline.objects.filter(case__in=_this_case(user, case), status=DeadlineStatus.OPEN)
        .select_related("legal_rule")
        .order_by("due_on")
    )
    return _deadline_views(reads.shown(deadlines), _clearance(user, case))


def open_tasks_display(*, user: Any, case: Case) -> list[Redacted]:
    """Open tasks of a visible case with their assignee, soonest due first (undated last)."""
    today = timezone.localdate()
    tasks = list(
        Task.objects.filter(case__in=_this_case(user, case), completed_at__isnull=True)
        .select_related("assignee")
        .order_by(F("due_on").asc(nulls_last=True), "created_at")
    )
    return _views(
        reads.shown(tasks),
        clearance=_clearance(user, case),
        derived={
            "assignee_name": ("assignee", lambda t: _user_name(t.assignee)),
            "overdue": ("due_on", lambda t: bool(t.due_on and t.due_on < today)),
        },
    )


def documents_display(*, user: Any, case: Case) -> list[Redacted]:
    """Documents of a visible case (metadata only; file names and digests need confidential clearance)."""
    from asylon.evidence.models import Document

    documents = list(
        Document.objects.filter(case__in=_this_case(user, case)).select_related("uploaded_by").order_by("-created_at")
    )
    return _views(
        reads.shown(documents),
        clearance=_clearance(user, case),
        derived={"uploaded_by_name": ("uploaded_by", lambda d: _user_name(d.uploaded_by))},
    )


def sources_of_case(*, user: Any, case: Case) -> list[Any]:
    """Public sources cited by the events of a visible case (public citations, not personal data)."""
    from asylon.evidence.models import Source

    cited = Event.sources.through.objects.filter(source=OuterRef("pk"), event__case__in=_this_case(user, case))
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
    memberships = CaseMembership.objects.filter(case__in=_this_case(user, case)).select_related("user")
    return [
        MemberView(pk=m.pk, id=m.pk, user=m.user_id, name=_user_name(m.user))
        for m in sorted(memberships, key=lambda m: _user_name(m.user).casefold())
    ]


# --- the case list -------------------------------------------------------------------------------

RISK_RANK = {"low": 1, "medium": 2, "high": 3, "critical": 4}


SEARCH_MATCH_LIMIT = 1000  # more matches than this means the name is too common to search by alone


def _cases_of_persons_named(user: Any, text: str) -> QuerySet[Any]:
    """Ids of cases with a party whose names hold every token of `text` (any script, by blind index).

    The same match as `people.selectors.persons_matching_name`, but starting from the digest index
    (organisation, kind, digest) rather than from every visible person: the case list applies
    visibility itself, and a person party to a visible case is visible.
    """
    from asylon.people.lookups import name_digests
    from asylon.people.models import LookupKind, PersonLookup
    from asylon.people.selectors import organisations_searchable_by

    digests = list(dict.fromkeys(name_digests(text)))
    if not digests:
        return CaseParty.objects.none().values("case_id")
    organisations = organisations_searchable_by(user, "given_name")  # a search must not confirm a name
    persons = (
        PersonLookup.objects.filter(organisation_id__in=organisations, kind=LookupKind.NAME, digest__in=digests)
        .values("person_id")
        .annotate(tokens=Count("digest", distinct=True))
        .filter(tokens=len(digests))
        .values("person_id")
    )
    return CaseParty.objects.filter(person_id__in=persons).values("case_id")


FEW_CASES = 500
MANY_CASES = 7_000


def _having(cases: QuerySet[Case], records: QuerySet[Any]) -> QuerySet[Case]:
    """Cases with at least one of `records` (events or decisions of a type), by how common the type is.

    Rare: its cases' ids are fetched first (through the type's index) and the list keeps those.
    Middling: the database collects the type's case ids once (a subquery) and keeps the cases among
    them. Common: each case, in list order, is tested through the case's own index, and the database
    stops after a page. No join multiplies the rows either way.
    """
    # No DISTINCT in SQL: with it SQLite walks the case index instead of the type's index.
    case_ids = records.values_list("case_id", flat=True)
    few = list(case_ids[: FEW_CASES + 1])
    if len(few) <= FEW_CASES:
        return cases.filter(pk__in=set(few))
    if case_ids[: MANY_CASES + 1].count() <= MANY_CASES:
        return cases.filter(pk__in=case_ids)
    return cases.filter(Exists(records.filter(case=OuterRef("pk"))))


def _term_ids(vocabulary: str, code: str) -> list[Any]:
    """Ids of the terms with this code (the instance's and organisations' own), looked up once so
    the database filters records by an indexed id list."""
    return list(Term.objects.filter(vocabulary__code=vocabulary, code=code).values_list("pk", flat=True))


def _cases_with_reference_prefix(cases: QuerySet[Case], text: str) -> list[Any]:
    """Ids of cases whose reference starts with `text` (references are upper case; any case typed),
    as an index range rather than a LIKE, which SQLite cannot answer from the index."""
    prefix = text.strip().upper()
    if not prefix:
        return []
    matching = cases.filter(reference__gte=prefix, reference__lt=prefix + "\U0010ffff")
    return list(matching.values_list("pk", flat=True)[:SEARCH_MATCH_LIMIT])


def cases_listed(*, user: Any, filters: dict[str, Any]) -> QuerySet[Case]:
    """Visible cases matching the list's filters, search (reference or a party's name) and sorting.

    Filters are semi-joins (`pk IN (subquery)` computed once for selective ones, EXISTS per case for
    broad ones), so no join multiplies the rows and no DISTINCT runs over the list. Nothing is
    fetched here.
    """
    cases = cases_visible_to(user)
    if status := filters.get("status"):
        cases = cases.filter(status=status)
    if code := filters.get("event_type"):
        cases = _having(cases, Event.objects.filter(event_type_id__in=_term_ids(codes.EVENT_TYPE, code)))
    if country := filters.get("country"):
        # Few countries, so most cases match: look at each candidate case's events through the
        # case index rather than collect every event of the country.
        cases = cases.filter(Exists(Event.objects.filter(case=OuterRef("pk"), country=country)))
    if code := filters.get("decision_type"):
        cases = _having(cases, Decision.objects.filter(decision_type_id__in=_term_ids(codes.DECISION_TYPE, code)))
    if code := filters.get("grounds"):
        cases = _having(cases, Decision.objects.filter(grounds__in=_term_ids(codes.GROUNDS, code)))
    if assignee := filters.get("assignee"):
        cases = cases.filter(lead_assignee_id=assignee)
    if window := filters.get("deadline"):
        today = timezone.localdate()
        end = today + datetime.timedelta(days=int(window)) if window != "overdue" else None
        due = Q(due_on__lt=today) if end is None else Q(due_on__range=(today, end))
        open_deadlines = Deadline.objects.filter(due, status=DeadlineStatus.OPEN).values("case_id")
        cases = cases.filter(pk__in=open_deadlines)
    if text := filters.get("q"):
        # Matches are few: collect them first through their indexes, so the database need not test
        # every case of the sorted list against a LIKE or the blind-index subquery.
        named = [row["case_id"] for row in _cases_of_persons_named(user, text)[:SEARCH_MATCH_LIMIT]]
        cases = cases.filter(pk__in={*named, *_cases_with_reference_prefix(cases, text)})
    sort = filters.get("sort") or "-opened"
    if sort == "reference":
        order = [F("reference").asc()]
    elif sort == "-risk":
        rank = Choose(
            *[When(risk=risk, then=Value(value)) for risk, value in RISK_RANK.items()],
            default=Value(0),
            output_field=IntegerField(),
        )
        cases = cases.annotate(risk_rank=rank)
        order = [F("risk_rank").desc(), F("reference").asc()]
    elif sort == "deadline":
        # Only this order needs every case's next deadline; otherwise `case_rows` asks for the page's.
        soonest = (
            Deadline.objects.filter(case=OuterRef("pk"), status=DeadlineStatus.OPEN).order_by("due_on").values("due_on")
        )
        cases = cases.annotate(next_deadline=Subquery(soonest[:1]))
        order = [F("next_deadline").asc(nulls_last=True), F("reference").asc()]
    else:
        order = [F("opened_on").desc(), F("reference").asc()]
    return cases.order_by(*order)


@dataclass
class CaseRow:
    """One line of the case list: the case and its clients' names as the viewer may see them."""

    case: Redacted
    clients: list[Redacted]

    @property
    def pk(self) -> Any:
        return self.case.pk


def case_rows(*, user: Any, case_ids: Iterable[Any]) -> list[CaseRow]:
    """The list's lines for a page of cases given by id, in that order: the cases, their next open
    deadline and their clients in three queries; names within the viewer's clearance.

    The list pages over ids only (`cases_listed(...).values_list("pk", flat=True)`), so the database
    sorts keys rather than whole rows; the page's rows are fetched here by key.
    """
    ids = list(case_ids)
    fetched = cases_visible_to(user).filter(pk__in=ids).select_related("organisation", "lead_assignee")
    by_id = {case.pk: case for case in fetched}
    page = [by_id[case_id] for case_id in ids if case_id in by_id]
    today = timezone.localdate()
    if page:
        soonest = dict(
            Deadline.objects.filter(case__in=[case.pk for case in page], status=DeadlineStatus.OPEN)
            .values("case_id")
            .annotate(due=Min("due_on"))
            .values_list("case_id", "due")
        )
        for case in page:
            case.next_deadline = soonest.get(case.pk)  # type: ignore[attr-defined]
    clients = CaseParty.objects.filter(role__in=[PartyRole.CLIENT, PartyRole.CO_APPLICANT]).select_related("person")
    prefetch_related_objects(page, Prefetch("parties", queryset=clients.order_by("created_at"), to_attr="clients"))
    reads.shown(page)
    rows = []
    for case in page:
        level = _clearance(user, case)
        persons = [party.person for party in case.clients]  # type: ignore[attr-defined]
        if persons and field_level(type(persons[0]), "given_name") <= level:
            reads.shown(persons)  # their names are on the page
        view = _views(
            [case],
            clearance=level,
            fields=LISTED_CASE_FIELDS,
            derived={
                "status_label": ("status", lambda c: c.get_status_display()),
                "risk_label": ("risk", lambda c: c.get_risk_display()),
                "lead_name": ("lead_assignee", lambda c: _user_name(c.lead_assignee)),
                "next_deadline": ("id", lambda c: c.next_deadline),
                "deadline_overdue": (
                    "id",
                    lambda c: bool(c.next_deadline and c.next_deadline < today),
                ),
            },
        )[0]
        rows.append(CaseRow(case=view, clients=_views(persons, clearance=level, fields=PERSON_NAME_FIELDS)))
    return rows
