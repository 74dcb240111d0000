"""import_upload, import_map, import_check (dry run), import_discard, the huey path and progress."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage

from asylon.audit.models import AuditEntry
from asylon.ops.imports.files import ERRORS, UPLOAD
from asylon.ops.models import ImportProfile, ImportStatus
from asylon.ops.selectors import import_preview, import_progress, import_report, import_run_get
from asylon.ops.services.imports import (
    import_check,
    import_check_start,
    import_commit_start,
    import_discard,
    import_map,
    import_upload,
)
from asylon.ops.tests.imports.conftest import HEADERS, ROWS, csv_bytes, upload_of
from asylon.ops.tests.imports.services.test_import_commit import counts
from asylon.people.lookups import lookup_rows
from asylon.people.models import PersonLookup
from tests.factories import case_with_member, person_on_case

BAD_ROWS = [
    *ROWS,
    ["", "", "", "", "", "", "", ""],  # row 5: blank but not the last, so it names no one
    ["Кавальчук", "Ян", "2030", "", "Abducted", "someday", "Atlantis", ""],
]


def test_dry_run_lists_row_column_reason_and_writes_nothing(mapped_run, caseworker):
    run = mapped_run(HEADERS, BAD_ROWS)
    before = counts()
    audit_before = AuditEntry.objects.exclude(action__startswith="import.").count()
    run = import_check(actor=caseworker, run=run)
    assert counts() == before
    assert AuditEntry.objects.exclude(action__startswith="import.").count() == audit_before
    assert not AuditEntry.objects.filter(action="import.write").exists()
    report = import_report(user=caseworker, run=run)
    problems = {(problem["row"], problem["column"]) for problem in report["problems"]}
    assert problems == {
        (5, "Фамилия"),
        (6, "Дата рождения"),
        (6, "Событие"),
        (6, "Дата"),
        (6, "Страна"),
    }
    assert all(problem["reason"] for problem in report["problems"])
    assert report["would_create"] == {"person": 2, "case": 2, "event": 3}
    assert run.status == ImportStatus.CHECKED
    assert run.counts["rows_with_problems"] == 2
    assert AuditEntry.objects.get(action="import.check").details["problems"] == 5


def test_dry_run_reports_duplicate_candidates(mapped_run, caseworker, organisation):
    case = case_with_member(organisation, caseworker)
    existing = person_on_case(case, family_name="Іваноў", given_name="Сяргей", birth_year=1990)
    PersonLookup.objects.bulk_create(lookup_rows(existing))
    run = import_check(actor=caseworker, run=mapped_run())
    duplicates = import_report(user=caseworker, run=run)["duplicates"]
    assert {"row": 2, "person_id": str(existing.pk)} in [
        {"row": duplicate["row"], "person_id": duplicate["person_id"]} for duplicate in duplicates
    ]


def test_reasons_are_in_the_users_language(mapped_run, caseworker):
    from django.utils import translation

    def birth_reason(language):
        with translation.override(language):
            run = import_check(actor=caseworker, run=mapped_run(HEADERS, BAD_ROWS))
        problems = import_report(user=caseworker, run=run)["problems"]
        return next(problem["reason"] for problem in problems if problem["column"] == "Дата рождения")

    english, russian = birth_reason("en"), birth_reason("ru")
    assert english == "This date is in the future."
    assert russian != english and russian


def test_upload_refuses_unreadable_files_naming_the_field(caseworker, organisation):
    with pytest.raises(ValidationError) as error:
        import_upload(actor=caseworker, organisation=organisation, upload=upload_of(b"a,a\n1,2\n"))
    assert "upload" in error.value.message_dict
    with pytest.raises(ValidationError):
        import_upload(actor=caseworker, organisation=organisation, upload=upload_of(b"PK\x03\x04junk", "x.xlsx"))


def test_upload_stores_the_file_encrypted_and_discard_deletes_it(caseworker, organisation):
    data = csv_bytes(HEADERS, ROWS)
    run = import_upload(actor=caseworker, organisation=organisation, upload=upload_of(data))
    path = f"imports/{run.pk}.{UPLOAD}"
    with default_storage.open(path, "rb") as stored:
        assert "Іваноў".encode() not in stored.read()
    assert run.rows_total == 3
    assert AuditEntry.objects.get(action="import.upload").details == {
        "format": "csv",
        "bytes": len(data),
        "rows": 3,
        "columns": len(HEADERS),
    }
    run = import_discard(actor=caseworker, run=run)
    assert run.status == ImportStatus.DISCARDED
    assert not default_storage.exists(path)
    assert not default_storage.exists(f"imports/{run.pk}.{ERRORS}")


def test_a_running_import_is_not_discarded_until_its_worker_has_clearly_stopped(caseworker, organisation):
    import datetime

    from django.utils import timezone

    from asylon.ops.imports.progress import progress_get, progress_set
    from asylon.ops.models import STALLED_AFTER, ImportRun

    run = import_upload(actor=caseworker, organisation=organisation, upload=upload_of(csv_bytes(HEADERS, ROWS)))
    ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.IMPORTING)
    progress_set(run.pk, 1, 3)
    run.refresh_from_db()
    with pytest.raises(ValidationError, match="running"):
        import_discard(actor=caseworker, run=run)
    assert not run.stalled and default_storage.exists(f"imports/{run.pk}.{UPLOAD}")

    # A worker killed mid-import leaves the run "importing"; its transaction, and every row, died with it.
    stopped = timezone.now() - STALLED_AFTER - datetime.timedelta(minutes=1)
    ImportRun.objects.filter(pk=run.pk).update(updated_at=stopped)
    run.refresh_from_db()
    assert run.stalled
    run = import_discard(actor=caseworker, run=run)
    assert run.status == ImportStatus.DISCARDED and not run.stalled
    assert not default_storage.exists(f"imports/{run.pk}.{UPLOAD}") and progress_get(run.pk) is None
    assert AuditEntry.objects.filter(action="import.discard", target_id=str(run.pk)).count() == 1


def test_preview_suggests_the_mapping_from_known_headers(caseworker, organisation):
    headers = ["Прозвішча", "Pavardė", "Date of birth", "Ім'я", "Something else"]
    run = import_upload(
        actor=caseworker, organisation=organisation, upload=upload_of(csv_bytes(headers, [["a", "b", "", "c", "d"]]))
    )
    preview = import_preview(user=caseworker, run=run)
    assert preview.suggested_mapping == {
        "Прозвішча": "person.family_name",
        "Pavardė": "",  # the family name is taken by the first column
        "Date of birth": "person.birth_date",
        "Ім'я": "person.given_name",
        "Something else": "",
    }
    assert preview.sample_rows == [["a", "b", "", "c", "d"]]


def test_map_checks_targets_and_saves_a_profile(caseworker, organisation):
    run = import_upload(actor=caseworker, organisation=organisation, upload=upload_of(csv_bytes(HEADERS, ROWS)))
    with pytest.raises(ValidationError, match="unknown target"):
        import_map(actor=caseworker, run=run, mapping={"Имя": "person.nickname"}, options={})
    with pytest.raises(ValidationError, match="both fill"):
        import_map(
            actor=caseworker, run=run, mapping={"Имя": "person.given_name", "Фамилия": "person.given_name"}, options={}
        )
    with pytest.raises(ValidationError, match="family name or the given name"):
        import_map(actor=caseworker, run=run, mapping={"Дата": "event.date"}, options={})
    with pytest.raises(ValidationError):
        import_map(actor=caseworker, run=run, mapping={"Имя": "person.given_name"}, options={"date_order": "x"})
    run = import_map(
        actor=caseworker,
        run=run,
        mapping={"Имя": "person.given_name"},
        options={"date_order": "month_first"},
        save_profile_as="Our sheet",
    )
    profile = ImportProfile.objects.get(organisation=organisation, name="Our sheet")
    assert profile.mapping == {"Имя": "person.given_name"}
    assert profile.options == {"date_order": "month_first"}
    assert run.profile == profile


def test_start_functions_run_through_huey(mapped_run, caseworker, django_capture_on_commit_callbacks):
    run = mapped_run()
    with django_capture_on_commit_callbacks(execute=True):
        import_check_start(actor=caseworker, run=run)
    run = import_run_get(user=caseworker, run_id=run.pk)
    assert run.status == ImportStatus.CHECKED
    with django_capture_on_commit_callbacks(execute=True):
        import_commit_start(actor=caseworker, run=run, mode="all")
    run = import_run_get(user=caseworker, run_id=run.pk)
    assert run.status == ImportStatus.DONE
    assert import_progress(run=run) == (3, 3)


def test_commit_needs_a_checked_run(mapped_run, caseworker):
    with pytest.raises(ValidationError):
        import_commit_start(actor=caseworker, run=mapped_run(), mode="all")


def test_other_organisations_cannot_see_or_touch_runs(mapped_run, outsider, analyst):
    from asylon.ops.models import ImportRun

    run = mapped_run()
    for user in (outsider, analyst):
        with pytest.raises(ImportRun.DoesNotExist):
            import_run_get(user=user, run_id=run.pk)
        with pytest.raises(PermissionDenied):
            import_check(actor=user, run=run)
