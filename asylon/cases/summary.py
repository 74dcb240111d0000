"""The printable case summary: what a person reads and signs, gathered as the viewer may see it.

Everything comes through the visibility selectors and `redacted` views, so a viewer's summary
holds no names and no exact dates. Notes are never part of it, privileged or not.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from asylon.accounts.clearance import Redacted, redacted, redacted_many
from asylon.audit import reads
from asylon.cases.models import (
    Case,
    CaseParty,
    CaseStatus,
    Deadline,
    DeadlineStatus,
    Decision,
    Intervention,
    PartyRole,
    Proceeding,
    ProceedingTier,
    StatusPeriod,
)
from asylon.cases.selectors import case_get, cases_visible_to, events_of_case
from asylon.cases.statuses import STATUS_VALUES, StatusKind
from asylon.common.models import DatePrecision
from asylon.common.templatetags.asylon_dates import date_precision
from asylon.people.selectors import persons_visible_to
from asylon.vocab.models import LegalRule, Term, localised


@dataclass(frozen=True)
class TimelineEntry:
    sort_key: tuple[int, int, int]
    when: str
    what: str
    details: str


def partial_date(
    day: Any, precision: str = DatePrecision.DAY, year: int | None = None, month: int | None = None
) -> str:
    """A date shown no more exactly than it is known (a month-only date is not shown as the 1st).

    The exact date when the viewer may see it (the case page's `date_precision` filter), else the
    clear year and month that every role may see, at the same precision.
    """
    if isinstance(day, datetime.date):
        return date_precision(day, precision)
    if not year:
        return _("date not known")
    if precision == DatePrecision.YEAR or not month:
        shown = str(year)
    else:
        shown = date_format(datetime.date(year, month, 1), "YEAR_MONTH_FORMAT")
    if precision == DatePrecision.APPROXIMATE:
        return _("about %(date)s") % {"date": shown}
    return shown


def person_name(view: Redacted) -> str:
    """The person's full name, or '' when the viewer's clearance does not reach names."""
    parts = [view.get("given_name"), view.get("patronymic"), view.get("family_name")]
    return " ".join(str(part) for part in parts if part)


def _terms(ids: set[Any]) -> dict[Any, str]:
    return {pk: term.label() for pk, term in Term.objects.in_bulk([pk for pk in ids if pk]).items()}


def _of_case(queryset: Any, user: Any, case: Case) -> QuerySet[Any]:
    return queryset.filter(case__in=cases_visible_to(user), case=case)


def case_summary(*, user: Any, case_id: Any) -> dict[str, Any]:
    """The summary of a visible case as the user may see it (Case.DoesNotExist otherwise)."""
    case = case_get(user=user, case_id=case_id)
    case_view = redacted(user, case)

    parties = list(
        _of_case(CaseParty.objects, user, case).filter(person__in=persons_visible_to(user)).order_by("created_at")
    )
    person_ids = [party.person_id for party in parties]
    persons = {
        view.pk: view
        for view in redacted_many(
            user, reads.shown(persons_visible_to(user).filter(pk__in=person_ids).order_by("created_at"))
        )
    }
    people = [
        {
            "name": person_name(persons[party.person_id]),
            "birth": persons[party.person_id].get("birth_date") or persons[party.person_id].get("birth_year"),
            "role": PartyRole(party.role).label,
        }
        for party in sorted(parties, key=lambda party: party.role != PartyRole.CLIENT)
        if party.person_id in persons
    ]

    events = redacted_many(user, events_of_case(user=user, case=case))
    decisions = redacted_many(
        user, reads.shown(_of_case(Decision.objects, user, case).order_by("served_year", "served_month", "created_at"))
    )
    proceedings = redacted_many(
        user, reads.shown(_of_case(Proceeding.objects, user, case).order_by("lodged_year", "created_at"))
    )
    interventions = redacted_many(
        user, reads.shown(_of_case(Intervention.objects, user, case).order_by("carried_out_on", "created_at"))
    )
    terms = _terms(
        {event["event_type"] for event in events}
        | {decision[name] for decision in decisions for name in ("decision_type", "decision_maker", "outcome")}
        | {proceeding[name] for proceeding in proceedings for name in ("court", "outcome")}
        | {intervention["intervention_type"] for intervention in interventions}
    )

    timeline = [
        TimelineEntry(
            sort_key=(event["year"], event["month"] or 0, 0),
            when=partial_date(event["occurred_on"], event["date_precision"], event["year"], event["month"]),
            what=terms.get(event["event_type"], ""),
            details=str(event["description"] or ""),
        )
        for event in events
    ]
    decision_rows = []
    for decision in decisions:
        served = partial_date(
            decision["served_on"],
            DatePrecision.DAY if decision["served_on"] else DatePrecision.MONTH,
            decision["served_year"],
            decision["served_month"],
        )
        row = {
            "type": terms.get(decision["decision_type"], ""),
            "maker": terms.get(decision["decision_maker"], ""),
            "outcome": terms.get(decision["outcome"], ""),
            "served": served,
            "reference_number": str(decision["reference_number"] or ""),
        }
        decision_rows.append(row)
        timeline.append(
            TimelineEntry(
                sort_key=(decision["served_year"] or 0, decision["served_month"] or 0, 1),
                when=served,
                what=_("Decision: %(type)s") % {"type": row["type"]},
                details=row["outcome"],
            )
        )
    for proceeding in proceedings:
        lodged = proceeding["lodged_on"]
        timeline.append(
            TimelineEntry(
                sort_key=(proceeding["lodged_year"] or 0, lodged.month if lodged else 0, 2),
                when=partial_date(
                    lodged, DatePrecision.DAY if lodged else DatePrecision.YEAR, proceeding["lodged_year"]
                ),
                what=_("Proceeding: %(tier)s, %(court)s")
                % {"tier": ProceedingTier(proceeding["tier"]).label, "court": terms.get(proceeding["court"], "")},
                details=terms.get(proceeding["outcome"], ""),
            )
        )
    for intervention in interventions:
        done = intervention["carried_out_on"]
        timeline.append(
            TimelineEntry(
                sort_key=(done.year, done.month, 3) if done else (0, 0, 3),
                when=partial_date(done),
                what=terms.get(intervention["intervention_type"], ""),
                details=str(intervention["addressee"] or ""),
            )
        )
    timeline.sort(key=lambda entry: entry.sort_key)

    deadlines = redacted_many(user, reads.shown(_of_case(Deadline.objects, user, case).order_by("due_on")))
    rules = LegalRule.objects.in_bulk([view["legal_rule"] for view in deadlines if view.get("legal_rule")])
    deadline_rows = [
        {
            "what": str(view.get("title") or "")
            or (localised(rules[view["legal_rule"]].title) if view.get("legal_rule") in rules else "")
            or str(view["kind"]).replace("_", " "),
            "due": date_format(view["due_on"], "DATE_FORMAT") if view["due_on"] else "",
            "status": DeadlineStatus(view["status"]).label if view["status"] else "",
        }
        for view in deadlines
    ]

    statuses = redacted_many(
        user,
        reads.shown(_of_case(StatusPeriod.objects, user, case).filter(current=True).order_by("kind", "created_at")),
    )
    status_rows = [
        {
            "person": person_name(persons[view["person"]]) if view["person"] in persons else "",
            "kind": StatusKind(view["kind"]).label,
            "status": STATUS_VALUES.get(view["kind"], {}).get(view["status"], view["status"]),
            "since": partial_date(
                view["started_on"],
                DatePrecision.DAY if view["started_on"] else DatePrecision.MONTH,
                view["start_year"],
                view["start_month"],
            ),
        }
        for view in statuses
    ]

    return {
        "case_pk": case.pk,
        "case": case_view,
        "case_status": CaseStatus(case_view["status"]).label,
        "opened_on": date_format(case_view["opened_on"], "DATE_FORMAT") if case_view.get("opened_on") else "",
        "people": people,
        "names_withheld": any("given_name" in view.hidden for view in persons.values()),
        "timeline": timeline,
        "decisions": decision_rows,
        "deadlines": deadline_rows,
        "statuses": status_rows,
        "case_object": case,
    }
