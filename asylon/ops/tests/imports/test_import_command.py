"""`asylon import`: a dry run writes nothing and prints problems; an import writes; mode all fails on problems."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from asylon.ops.tests.imports.conftest import HEADERS, ROWS, csv_bytes
from asylon.people.models import Person


@pytest.fixture
def sheet(tmp_path):
    def write(rows=ROWS):
        path = tmp_path / "people.csv"
        path.write_bytes(csv_bytes(HEADERS, rows))
        return str(path)

    return write


def test_dry_run_prints_problems_and_writes_nothing(sheet, organisation, caseworker, capsys):
    path = sheet([*ROWS, ["Bad", "Row", "31.02.1990", "", "", "", "", ""]])
    with pytest.raises(CommandError, match="1 problems"):
        call_command("import", path, "--organisation", organisation.slug, "--user", caseworker.email, "--dry-run")
    out = capsys.readouterr().out
    assert "row 5, Дата рождения:" in out
    assert "would create: person 2, case 2, event 3" in out
    assert Person.objects.count() == 0


def test_import_writes_and_mode_all_fails_on_problems(sheet, organisation, caseworker, capsys):
    call_command("import", sheet(), "--organisation", str(organisation.pk), "--user", caseworker.email)
    assert "create: person 2, case 2, event 3" in capsys.readouterr().out
    assert Person.objects.count() == 2
    bad = sheet([["Bad", "Row", "31.02.1990", "", "", "", "", ""]])
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import", bad, "--organisation", organisation.name, "--user", caseworker.email)
    assert Person.objects.count() == 2


def test_map_option_and_valid_only_error_file(sheet, organisation, caseworker, tmp_path):
    path = sheet([*ROWS, ["Bad", "Row", "31.02.1990", "", "", "", "", ""]])
    errors = tmp_path / "errors.csv"
    call_command(
        "import",
        path,
        "--organisation",
        organisation.slug,
        "--user",
        caseworker.email,
        "--map",
        "Описание=",
        "--mode",
        "valid_only",
        "--error-file",
        str(errors),
    )
    assert Person.objects.count() == 2
    assert errors.read_bytes().decode("utf-8-sig").count("\n") == 2


def test_unknown_target_is_refused(sheet, organisation, caseworker):
    with pytest.raises(CommandError, match="Header=target"):
        call_command(
            "import", sheet(), "--organisation", organisation.slug, "--user", caseworker.email, "--map", "Имя=nothing"
        )
