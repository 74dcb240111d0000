"""export_rows: the cases a user may open, only the columns their clearance reaches, privileged notes for lawyers."""

from __future__ import annotations

import datetime

import pytest

from asylon.accounts.models import Role
from asylon.ops.exports.rows import export_rows
from asylon.ops.selectors_exports import ExportScope

pytestmark = pytest.mark.django_db


def rows_for(casefile, role, **scope):
    return export_rows(user=casefile.users[role], scope=ExportScope(organisation=casefile.organisation, **scope))


def test_an_org_admin_gets_every_case_and_every_column(casefile):
    data = rows_for(casefile, Role.ORG_ADMIN)
    assert sorted(data.case_ids) == sorted([str(casefile.own.pk), str(casefile.other.pk)])
    assert data.withheld.get("persons") is None
    person = next(row for row in data.rows("persons") if row["id"] == str(casefile.person.pk))
    assert person["given_name"] == "Сяргей" and person["birth_year"] == 1995
    event = data.rows("events")[0]
    assert event["event_type"] == "arrest" and event["event_type_huridocs"] == "030101"
    assert event["event_type_label"] and event["sources_ids"] == [str(casefile.source.pk)]
    decision = data.rows("decisions")[0]
    assert decision["grounds"] == ["national_security_threat_unspecified"] and decision["grounds_labels"][0]
    assert {"cases", "parties", "persons", "events", "decisions", "proceedings", "interventions"} <= set(data.tables)
    assert {"status_periods", "documents", "notes", "sources"} <= set(data.tables)


def test_a_caseworker_gets_only_the_cases_they_are_members_of(casefile):
    data = rows_for(casefile, Role.CASEWORKER)
    assert data.case_ids == [str(casefile.own.pk)]
    assert [row["id"] for row in data.rows("persons")] == [str(casefile.person.pk)]
    assert {row["case_id"] for row in data.rows("parties")} == {str(casefile.own.pk)}


@pytest.mark.parametrize("role", [Role.VIEWER, Role.AUDITOR])
def test_viewers_and_auditors_lack_the_fields_above_their_clearance(casefile, role):
    """Internal clearance: names, exact dates, narratives and notes are left out as columns, not blanked."""
    data = rows_for(casefile, role)
    assert data.case_ids == [str(casefile.own.pk)]
    persons = data.tables["persons"]
    for withheld in ("given_name", "family_name", "birth_date", "biography", "identifiers"):
        assert withheld not in persons.columns
        assert withheld in data.withheld["persons"]
    assert "birth_year" in persons.columns and "citizenship" in persons.columns
    assert "summary" not in data.tables["cases"].columns
    events = data.tables["events"]
    assert "description" not in events.columns and "occurred_on" not in events.columns
    assert "year" in events.columns and "event_type_label" in events.columns
    assert all("body" not in row for row in data.rows("notes"))
    # Public citations are internal: which cases cite them is the organisation's own work.
    assert "title" in data.tables["sources"].columns


def test_a_caseworker_gets_the_confidential_fields_and_the_sources(casefile):
    data = rows_for(casefile, Role.CASEWORKER)
    assert "sources" in data.tables and data.withheld == {}
    assert "summary" in data.tables["cases"].columns  # confidential: a caseworker's clearance reaches it


def test_privileged_notes_only_for_lawyers(casefile):
    def bodies(role):
        return sorted(row["body"] for row in rows_for(casefile, role).rows("notes"))

    assert bodies(Role.LAWYER) == ["Open note", "Privileged advice"]
    assert bodies(Role.CASEWORKER) == ["Open note"]
    assert bodies(Role.ORG_ADMIN) == ["Open note"]


def test_the_scope_narrows_to_one_case_or_to_opening_dates(casefile):
    assert rows_for(casefile, Role.ORG_ADMIN, case_id=casefile.other.pk).case_ids == [str(casefile.other.pk)]
    recent = rows_for(casefile, Role.ORG_ADMIN, opened_from=datetime.date(2024, 1, 1))
    assert recent.case_ids == [str(casefile.own.pk)]
    old = rows_for(casefile, Role.ORG_ADMIN, opened_until=datetime.date(2023, 1, 1))
    assert old.case_ids == [str(casefile.other.pk)] and old.rows("events") == []


def test_documents_carry_metadata_never_the_stored_blob(casefile):
    from asylon.evidence.services import document_store
    from asylon.evidence.tests.samples import png

    document_store(
        actor=casefile.users[Role.LAWYER], case=casefile.own, data=png(), filename="a.png", content_type="image/png"
    )
    data = rows_for(casefile, Role.ORG_ADMIN)
    row = data.rows("documents")[0]
    assert row["filename"] == "a.png" and row["content_type"] == "image/png"
    assert "blob_name" not in data.tables["documents"].columns and "blob" not in row
