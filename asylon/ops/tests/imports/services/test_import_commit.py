"""import_commit: mode all, mode valid_only with its error file, re-import, audit, encryption and search."""

from __future__ import annotations

import csv
import io
import sys

import psycopg
import pytest
from django.db import connection

from asylon.audit.models import AuditEntry
from asylon.cases.models import Case, CaseMembership, CaseParty, Event
from asylon.ops.imports import running, writing
from asylon.ops.models import ImportedRecord, ImportRun, ImportStatus
from asylon.ops.selectors import import_error_file, import_report
from asylon.ops.services.imports import import_check, import_commit
from asylon.ops.tests.imports.conftest import HEADERS, ROWS
from asylon.people.lookups import name_digests
from asylon.people.models import Person, PersonLookup

MODELS = (Person, PersonLookup, Case, CaseParty, CaseMembership, Event, ImportedRecord)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def checked_and_imported(run, actor, mode="all"):
    import_check(actor=actor, run=run)
    return import_commit(actor=actor, run=run, mode=mode)


def test_import_creates_persons_cases_events_and_audits(mapped_run, caseworker, organisation):
    run = checked_and_imported(mapped_run(), caseworker)
    assert run.status == ImportStatus.DONE
    report = import_report(user=caseworker, run=run)
    assert report["problems"] == []
    assert report["create"] == {"person": 2, "case": 2, "event": 3}
    assert Person.objects.filter(organisation=organisation).count() == 2
    assert Event.objects.filter(organisation=organisation).count() == 3
    case = Case.objects.get(reference="IMP-1")
    assert CaseMembership.objects.filter(case=case, user=caseworker).exists()
    assert case.lead_assignee == caseworker
    ivanou = Person.objects.get(pk=CaseParty.objects.get(case=case).person_id)
    assert (ivanou.family_name, ivanou.given_name, str(ivanou.birth_date), ivanou.birth_year) == (
        "Іваноў",
        "Сяргей",
        "1990-08-17",
        1990,
    )
    petrenko = Person.objects.exclude(pk=ivanou.pk).get()
    assert (petrenko.birth_date, petrenko.birth_year) == (None, 1985)
    # Findable by name through the blind index, in another script too.
    for spelling in ("Іваноў", "Ivanou"):
        found = PersonLookup.objects.filter(organisation=organisation, digest__in=name_digests(spelling))
        assert set(found.values_list("person_id", flat=True)) == {ivanou.pk}
    month_event = Event.objects.get(person=ivanou, date_precision="month")
    assert (month_event.occurred_on, month_event.year, month_event.month, month_event.country) == (None, 2023, 8, "BY")
    actions = list(AuditEntry.objects.filter(organisation=organisation).values_list("action", flat=True))
    assert {"import.upload", "import.map", "import.check", "import.commit", "import.write"} <= set(actions)
    written = AuditEntry.objects.filter(action="import.write", details__model="people.person").get()
    assert sorted(written.details["created"]) == sorted([str(ivanou.pk), str(petrenko.pk)])
    assert "Іваноў" not in str(list(AuditEntry.objects.values_list("details", flat=True)))
    assert ImportRun.objects.get(pk=run.pk).file_stored is False


def test_clear_values_read_back_as_a_save_stores_them(mapped_run, caseworker, organisation):
    """The bulk insert (COPY in binary format on PostgreSQL) stores what `save()` would: JSON values as JSON
    (not as strings), dates, timestamps and keys of their own types."""
    checked_and_imported(mapped_run(), caseworker)
    person = Person.objects.filter(organisation=organisation, birth_year=1990).get()
    defaults = Person()
    for name in ("other_citizenships", "languages", "vulnerabilities", "military_status"):
        assert getattr(person, name) == getattr(defaults, name)
        assert Person.objects.filter(pk=person.pk, **{name: getattr(defaults, name)}).exists()
    assert person.created_at is not None and person.created_at == person.updated_at
    case = Case.objects.get(reference="IMP-1")
    assert (case.organisation_id, case.lead_assignee_id) == (organisation.pk, caseworker.pk)
    assert Event.objects.filter(person=person, case=case, year=2023).exists()


def test_reimport_creates_nothing_and_reports_unchanged(mapped_run, caseworker):
    checked_and_imported(mapped_run(), caseworker)
    before = counts()
    run = checked_and_imported(mapped_run(), caseworker)
    assert counts() == before
    report = import_report(user=caseworker, run=run)
    assert report["create"] == {"person": 0, "case": 0, "event": 0}
    assert report["unchanged"] == {"person": 2, "case": 1, "event": 3}


def test_reimport_with_a_changed_value_updates(mapped_run, caseworker):
    checked_and_imported(mapped_run(), caseworker)
    headers = [*HEADERS, "Регион"]
    rows = [[*row, "Vilnius"] for row in ROWS]
    run = checked_and_imported(mapped_run(headers, rows), caseworker)
    report = import_report(user=caseworker, run=run)
    assert report["update"]["person"] == 2
    assert set(Person.objects.values_list("region", flat=True)) == {"Vilnius"}


def test_mode_all_with_one_bad_row_writes_nothing(mapped_run, caseworker):
    rows = [*ROWS, ["Bad", "Row", "31.02.1990", "", "", "", "", ""]]
    before = counts()
    run = checked_and_imported(mapped_run(HEADERS, rows), caseworker)
    assert run.status == ImportStatus.FAILED
    assert counts() == before
    report = import_report(user=caseworker, run=run)
    assert [(problem["row"], problem["column"]) for problem in report["problems"]] == [(5, "Дата рождения")]


def test_valid_only_writes_the_rest_and_the_error_file_has_exactly_the_bad_rows(mapped_run, caseworker):
    rows = [*ROWS, ["Bad", "Row", "31.02.1990", "", "", "", "", ""], ["", "", "", "", "", "", "", "text"]]
    run = checked_and_imported(mapped_run(HEADERS, rows), caseworker, mode="valid_only")
    assert run.status == ImportStatus.DONE
    assert Person.objects.count() == 2
    lines = list(csv.reader(io.StringIO(import_error_file(user=caseworker, run=run).decode("utf-8-sig"))))
    assert lines[0][: len(HEADERS)] == HEADERS
    assert [line[:2] for line in lines[1:]] == [["Bad", "Row"], ["", ""]]
    assert [line[len(HEADERS)] for line in lines[1:]] == ["5", "6"]
    assert all(line[-1] for line in lines[1:])


@pytest.mark.parametrize("role", ["analyst", "viewer"])
def test_analysts_and_viewers_may_not_import(role, organisation, caseworker, mapped_run):
    from django.core.exceptions import PermissionDenied

    from asylon.accounts.models import Role
    from tests.factories import staff

    run = mapped_run()
    other = staff(organisation, Role.ANALYST if role == "analyst" else Role.VIEWER)
    with pytest.raises(PermissionDenied):
        import_commit(actor=other, run=run, mode="all")


def test_progress_is_readable_while_the_import_runs(mapped_run, caseworker):
    from asylon.ops.selectors import import_progress

    run = mapped_run()
    import_check(actor=caseworker, run=run)
    seen = []
    import_commit(
        actor=caseworker, run=run, mode="all", progress=lambda done, total: seen.append(import_progress(run=run))
    )
    assert seen and seen[-1] == (3, 3)
    assert all(total == 3 for _done, total in seen)


def test_rows_naming_a_case_the_actor_may_not_change_are_refused(mapped_run, caseworker, lawyer, organisation):
    from tests.factories import CaseFactory, case_with_member

    case_with_member(organisation, lawyer)  # another case, not the caseworker's
    CaseFactory(organisation=organisation, reference="IMP-1")  # the sheet's reference, no members
    before = counts()
    run = checked_and_imported(mapped_run(), caseworker)
    assert run.status == ImportStatus.FAILED
    assert counts() == before
    problems = import_report(user=caseworker, run=run)["problems"]
    assert [(problem["row"], problem["column"]) for problem in problems] == [(2, "Дело"), (3, "Дело")]
    assert "IMP-1" in problems[0]["reason"]
    run = checked_and_imported(mapped_run(), caseworker, mode="valid_only")
    assert run.status == ImportStatus.DONE
    assert Person.objects.count() == before["Person"] + 1  # Petrenko, whose row names no case


def test_persons_on_record_only_in_others_cases_are_refused(mapped_run, caseworker, organisation):
    from tests.factories import staff

    headers, rows = HEADERS[:3], [row[:3] for row in ROWS]  # persons only: no case reference
    checked_and_imported(mapped_run(headers, rows), caseworker)
    before = counts()
    colleague = staff(organisation)  # a caseworker who is not a member of those cases
    run = checked_and_imported(mapped_run(headers, rows, actor=colleague), colleague, mode="valid_only")
    assert counts() == before
    problems = import_report(user=colleague, run=run)["problems"]
    assert [(problem["row"], problem["column"]) for problem in problems] == [
        (2, "Фамилия"),
        (3, "Фамилия"),
        (4, "Фамилия"),
    ]


def test_batch_by_batch_the_import_writes_audits_and_re_imports_the_same(mapped_run, caseworker, monkeypatch):
    """One row per batch: on PostgreSQL each batch's inserts are sent while the next is built
    (`pipelining.py`), and later batches find what earlier ones made."""
    monkeypatch.setattr(running, "BATCH_ROWS", 1)
    before = counts()
    run = checked_and_imported(mapped_run(), caseworker)
    assert import_report(user=caseworker, run=run)["create"] == {"person": 2, "case": 2, "event": 3}
    made = {name: count - before[name] for name, count in counts().items()}
    assert made == {
        "Person": 2,
        "PersonLookup": made["PersonLookup"],
        "Case": 2,
        "CaseParty": 2,
        "CaseMembership": 2,
        "Event": 3,
        "ImportedRecord": 5,
    }
    # Per batch and model: person, case, membership, party, event; then an event; then all five again.
    assert AuditEntry.objects.filter(action="import.write").count() == 11
    again = checked_and_imported(mapped_run(), caseworker)
    assert counts() == {name: before[name] + count for name, count in made.items()}
    assert import_report(user=caseworker, run=again)["unchanged"] == {"person": 2, "case": 1, "event": 3}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the COPYs' thread is PostgreSQL's")
def test_a_failed_copy_fails_the_run_and_leaves_nothing_behind(mapped_run, caseworker, monkeypatch):
    """An error in the thread sending a batch's COPYs is raised in the import, which rolls every batch back."""
    monkeypatch.setattr(running, "BATCH_ROWS", 1)
    run = mapped_run()
    import_check(actor=caseworker, run=run)
    before = counts()
    real = writing.rows_copy

    def cut_short(model, objects):
        statement, data = real(model, objects)
        return statement, data[:-3] if model is Event else data  # no trailer: the server refuses the data

    monkeypatch.setattr(writing, "rows_copy", cut_short)
    interval = sys.getswitchinterval()
    with pytest.raises(psycopg.Error):
        import_commit(actor=caseworker, run=run, mode="all")
    assert sys.getswitchinterval() == interval
    assert counts() == before
    assert not AuditEntry.objects.filter(action="import.write").exists()
    assert ImportRun.objects.get(pk=run.pk).status == ImportStatus.FAILED
