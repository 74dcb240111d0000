"""`asylon report`: a Markdown file or a saved report built into a file, with clear errors."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from asylon.reports.services.reports import report_create
from tests.factories import case_with_member, event_on, person_on_case, staff

pytestmark = pytest.mark.django_db
SOURCE = "# Threats in Lithuania\n\nDeclared threats: {{count measure=event of=declared_national_security_threat}}.\n"


@pytest.fixture
def data(organisation, caseworker):
    case = case_with_member(organisation, caseworker)
    for _ in range(6):
        event_on(case, person_on_case(case, citizenship="BY"), "declared_national_security_threat", 2024, 3)


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("report", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_markdown_file_to_markdown(tmp_path, data, organisation, analyst):
    source = tmp_path / "threats.md"
    source.write_text(SOURCE, encoding="utf-8")
    output = tmp_path / "out.md"
    _out, err = run(str(source), "--user", analyst.email, "--organisation", organisation.slug, "-o", str(output))
    text = output.read_text(encoding="utf-8")
    assert text.startswith("# Threats in Lithuania\n") and text.count("# Threats in Lithuania") == 1
    assert "Declared threats: 6[^1]" in text
    assert "1 figures" in err


def test_a_saved_report_to_standard_output_as_html(data, organisation, analyst):
    report_create(actor=analyst, organisation=organisation, title="Saved", slug="saved", body=SOURCE)
    out, _err = run("saved", "--user", analyst.email, "--format", "html", "-o", "-", "--as-of", "2026-01-01T00:00")
    assert out.startswith("<!DOCTYPE html>") and "Declared threats: 6" in out


@pytest.mark.sqlite_only
def test_a_pdf(tmp_path, data, analyst):
    source = tmp_path / "threats.md"
    source.write_text(SOURCE, encoding="utf-8")
    run(str(source), "--user", analyst.email, "-o", str(tmp_path / "threats.pdf"))
    assert (tmp_path / "threats.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["missing.md", "-o", "x.md"], "No such file"),
        (["no-such-report", "-o", "x.md"], "no saved report"),
        (["{source}", "-o", "x.odt"], "Give --format"),
        (["{source}", "-o", "-", "--format", "pdf"], "needs --output"),
        (["{source}", "-o", "x.md", "--as-of", "yesterday"], "--as-of must be"),
        (["{broken}", "-o", "{tmp}/x.md"], "Line 3"),
    ],
)
def test_errors_are_clear(tmp_path, organisation, analyst, arguments, message):
    (tmp_path / "source.md").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "broken.md").write_text("# B\n\nText.\n\n{{count measure=nonsense}}\n", encoding="utf-8")
    names = {"source": tmp_path / "source.md", "broken": tmp_path / "broken.md", "tmp": tmp_path}
    with pytest.raises(CommandError, match=message):
        run(*[argument.format(**names) for argument in arguments], "--user", analyst.email)
    assert not (tmp_path / "x.md").exists()


def test_the_user_must_exist_and_may_read_statistics(tmp_path, organisation):
    (tmp_path / "s.md").write_text(SOURCE, encoding="utf-8")
    with pytest.raises(CommandError, match="No active user"):
        run(str(tmp_path / "s.md"), "--user", "nobody@example.org", "-o", "-")
    viewer = staff(organisation, "viewer")
    with pytest.raises(CommandError, match="may not read statistics"):
        run(str(tmp_path / "s.md"), "--user", viewer.email, "-o", "-")
