"""A re-import does not write about a person who withdrew consent to casework (their record is restricted,
docs/gdpr.md "Consent"): their rows are refused with the reason, the others' rows go on."""

from __future__ import annotations

import datetime

from asylon.cases.models import Event
from asylon.ops.models import ImportStatus
from asylon.ops.selectors import import_report
from asylon.ops.services.imports import import_check, import_commit
from asylon.ops.tests.imports.conftest import HEADERS, ROWS
from asylon.people.models import Person
from asylon.people.services import consent_record
from asylon.people.services_consent import consent_withdraw


def imported(run, actor, mode="all"):
    import_check(actor=actor, run=run)
    return import_commit(actor=actor, run=run, mode=mode)


def test_rows_of_a_person_whose_casework_is_restricted_are_refused(mapped_run, caseworker, organisation):
    imported(mapped_run(), caseworker)
    ivanou = Person.objects.get(family_name__isnull=False, birth_year=1990)
    consent = consent_record(actor=caseworker, person=ivanou, purpose="casework", given_on=datetime.date(2024, 1, 1))
    consent_withdraw(actor=caseworker, consent=consent, withdrawn_on=datetime.date(2024, 2, 1))
    changed = [
        [*ROWS[0][:4], "detention", "09/2023", "BY", "Новае"],
        [*ROWS[2][:4], "detention", "09/2023", "UA", "New"],
    ]
    events_before = Event.objects.filter(person=ivanou).count()

    run = imported(mapped_run(HEADERS, changed), caseworker, mode="valid_only")

    assert run.status == ImportStatus.DONE
    problems = import_report(user=caseworker, run=run)["problems"]
    assert [(problem["row"], problem["column"]) for problem in problems] == [(2, "Фамилия")]
    assert "withdrew consent to casework" in problems[0]["reason"]
    assert Event.objects.filter(person=ivanou).count() == events_before
    petrenko = Person.objects.get(birth_year=1985)
    assert Event.objects.filter(person=petrenko).count() == 2
