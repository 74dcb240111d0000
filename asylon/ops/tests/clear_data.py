"""The clear (unencrypted) analytic data of an organisation, in a stable order, for comparing runs."""

from __future__ import annotations

from typing import Any

from asylon.cases.models import Case, Deadline, Decision, Event, Proceeding, StatusPeriod
from asylon.people.models import ConsentRecord, MilitaryServicePeriod, Person


def clear_data(organisation: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every clear analytic field of a synthetic run, keyed by case reference instead of row ids."""
    cases = Case.objects.filter(organisation=organisation)
    persons = Person.objects.filter(organisation=organisation)
    return {
        "cases": sorted(cases.values_list("reference", "status", "risk", "jurisdiction", "opened_on", "closed_on")),
        "persons": sorted(
            persons.values_list(
                "case_parties__case__reference",
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
                "claim_basis__code",
                "objection_declared",
                "draft_evader",
                "deserter",
            )
        ),
        "events": sorted(
            Event.objects.filter(organisation=organisation).values_list(
                "case__reference",
                "event_type__code",
                "date_precision",
                "year",
                "month",
                "country",
                "region",
                "perpetrator__code",
                "violation_status",
                "alert_safe",
                "consent_to_publish",
            ),
            key=repr,
        ),
        "decisions": sorted(
            Decision.objects.filter(organisation=organisation).values_list(
                "case__reference",
                "decision_type__code",
                "decision_maker__code",
                "outcome__code",
                "served_year",
                "served_month",
                "event__event_type__code",
            ),
            key=repr,
        ),
        "grounds": sorted(
            Decision.objects.filter(organisation=organisation, grounds__isnull=False).values_list(
                "case__reference", "decision_type__code", "served_year", "served_month", "grounds__code"
            ),
            key=repr,
        ),
        "proceedings": sorted(
            Proceeding.objects.filter(organisation=organisation).values_list(
                "case__reference", "tier", "court__code", "lodged_year", "outcome__code", "decided_year"
            ),
            key=repr,
        ),
        "deadlines": sorted(
            Deadline.objects.filter(organisation=organisation).values_list(
                "case__reference", "kind", "due_on", "status"
            )
        ),
        "statuses": sorted(
            StatusPeriod.objects.filter(organisation=organisation).values_list(
                "case__reference", "kind", "status", "start_year", "start_month", "duration_days", "current"
            ),
            key=repr,
        ),
        "service": sorted(
            MilitaryServicePeriod.objects.filter(organisation=organisation).values_list(
                "person__case_parties__case__reference", "service_type", "start_year", "end_year", "combat_exposure"
            ),
            key=repr,
        ),
        "consents": sorted(
            ConsentRecord.objects.filter(organisation=organisation).values_list(
                "person__case_parties__case__reference", "purpose", "given_on", "withdrawn_on"
            ),
            key=repr,
        ),
    }


def names_by_case(organisation: Any) -> dict[str, tuple[str, str, str]]:
    """Decrypted names by case reference."""
    return {
        person.case_parties.all()[0].case.reference: (person.given_name, person.family_name, person.patronymic)
        for person in Person.objects.filter(organisation=organisation).prefetch_related("case_parties__case")
    }
