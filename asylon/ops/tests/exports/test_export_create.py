"""export_create: each format decrypts and parses, permission per format, validation, and the audit entry."""

from __future__ import annotations

import datetime
import io
import json

import pyrage
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook
from pyrage import ssh

from asylon.accounts.models import Role
from asylon.audit.models import AuditEntry
from asylon.ops.services.exports import export_create

from .conftest import PASSPHRASE, opened, unzipped

pytestmark = pytest.mark.django_db

WRITERS = (Role.ORG_ADMIN, Role.CASEWORKER, Role.LAWYER)
READERS_ONLY = (Role.ANALYST, Role.VIEWER, Role.AUDITOR)


def export(casefile, role=Role.ORG_ADMIN, **arguments):
    return export_create(actor=casefile.users[role], organisation=casefile.organisation, **arguments)


def exports_audited():
    return AuditEntry.objects.filter(action="export.create")


@pytest.mark.parametrize(
    ("export_format", "parse"),
    [
        ("csv", lambda plain: unzipped(plain)["cases.csv"].decode("utf-8-sig").splitlines()[0].startswith("id,")),
        ("xlsx", lambda plain: load_workbook(io.BytesIO(plain)).sheetnames[0] == "cases"),
        ("json", lambda plain: json.loads(plain)["format"] == "asylon-export"),
        ("esf", lambda plain: json.loads(plain)["format"] == "asylon-esf"),
        ("uwazi", lambda plain: set(unzipped(plain)) == {"cases.csv", "persons.csv", "events.csv"}),
    ],
)
def test_each_format_decrypts_with_the_recipients_key_and_parses(casefile, age_identity, export_format, parse):
    exported = export(casefile, export_format=export_format, recipients=str(age_identity.to_public()))
    assert exported.content.startswith(b"age-encryption.org/v1\n")
    assert exported.filename.endswith(".age")
    assert parse(opened(exported.content, age_identity))


def test_a_passphrase_opens_the_file(casefile):
    exported = export(casefile, Role.CASEWORKER, export_format="xlsx", passphrase=PASSPHRASE)
    assert b"scrypt" in exported.content[:200]
    workbook = load_workbook(io.BytesIO(opened(exported.content, passphrase=PASSPHRASE)))
    assert "persons" in workbook.sheetnames


def test_an_ssh_key_and_an_age_key_can_both_open_it(casefile, age_identity, ssh_key):
    public, private = ssh_key
    recipients = f"# the lawyer's keys\n{age_identity.to_public()}\n\n{public}\n"
    exported = export(casefile, export_format="json", recipients=recipients)
    assert json.loads(opened(exported.content, age_identity))["cases"]
    assert json.loads(pyrage.decrypt(exported.content, [ssh.Identity.from_buffer(private)]))["cases"]


def test_the_export_is_audited_with_format_scope_counts_and_case_ids(casefile, age_identity):
    exported = export(
        casefile,
        Role.CASEWORKER,
        export_format="csv",
        opened_from=datetime.date(2024, 1, 1),
        recipients=str(age_identity.to_public()),
    )
    entry = exports_audited().get()
    assert entry.actor == casefile.users[Role.CASEWORKER] and entry.organisation_id == casefile.organisation.pk
    details = entry.details
    assert details["format"] == "csv" and details["encryption"] == "recipients" and details["recipients"] == 1
    assert details["scope"]["opened_from"] == "2024-01-01" and details["scope"]["case"] is None
    assert details["case_ids"] == [str(casefile.own.pk)] == exported.case_ids
    assert details["counts"]["persons"] == 1 and details["counts"]["events"] == 1
    assert details["withheld"] == {}  # a caseworker's clearance reaches every exported column
    text = json.dumps(details, ensure_ascii=False)
    assert "Сяргей" not in text and "calc" not in text, "ids and codes only"


@pytest.mark.parametrize("role", WRITERS)
@pytest.mark.parametrize("export_format", ["csv", "xlsx", "json"])
def test_writer_roles_may_export_the_common_formats(casefile, age_identity, role, export_format):
    export(casefile, role, export_format=export_format, recipients=str(age_identity.to_public()))


@pytest.mark.parametrize("role", READERS_ONLY)
@pytest.mark.parametrize("export_format", ["csv", "xlsx", "json", "esf", "uwazi"])
def test_analysts_viewers_and_auditors_may_not_export(casefile, age_identity, role, export_format):
    with pytest.raises(PermissionDenied):
        export(casefile, role, export_format=export_format, recipients=str(age_identity.to_public()))
    assert not exports_audited().exists()


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.LAWYER])
@pytest.mark.parametrize("export_format", ["esf", "uwazi"])
def test_esf_and_uwazi_are_for_org_admins_only(casefile, age_identity, role, export_format):
    with pytest.raises(PermissionDenied):
        export(casefile, role, export_format=export_format, recipients=str(age_identity.to_public()))
    export(casefile, Role.ORG_ADMIN, export_format=export_format, recipients=str(age_identity.to_public()))


def test_another_organisations_staff_may_not_export(casefile, outsider, age_identity):
    with pytest.raises(PermissionDenied):
        export_create(
            actor=outsider,
            organisation=casefile.organisation,
            export_format="csv",
            recipients=str(age_identity.to_public()),
        )


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"export_format": "pdf"}, "export_format"),
        ({"passphrase": "short one"}, "passphrase"),
        ({"recipients": "age1notakey"}, "recipients"),
        ({"recipients": "ssh-dss AAAAB3NzaC1kc3M"}, "recipients"),
        ({"recipients": "# only a comment\n"}, None),
        ({"passphrase": PASSPHRASE, "recipients": "age1x"}, None),
        ({"opened_from": datetime.date(2024, 2, 1), "opened_until": datetime.date(2024, 1, 1)}, "opened_until"),
    ],
)
def test_bad_input_is_a_validation_error_naming_the_field_and_nothing_is_audited(
    casefile, age_identity, arguments, field
):
    defaults = {"export_format": "csv", "recipients": str(age_identity.to_public())}
    if "passphrase" in arguments:
        defaults.pop("recipients")
    with pytest.raises(ValidationError) as raised:
        export(casefile, **{**defaults, **arguments})
    if field:
        assert field in raised.value.message_dict
    assert not exports_audited().exists()


def test_a_bad_recipient_line_is_named(casefile, age_identity):
    with pytest.raises(ValidationError) as raised:
        export(casefile, export_format="csv", recipients=f"{age_identity.to_public()}\nnot a key\n")
    assert "Line 2" in raised.value.message_dict["recipients"][0]


def test_a_case_the_exporter_may_not_open_is_refused(casefile, age_identity):
    with pytest.raises(ValidationError) as raised:
        export(
            casefile,
            Role.CASEWORKER,
            export_format="csv",
            case=casefile.other.pk,
            recipients=str(age_identity.to_public()),
        )
    assert "case" in raised.value.message_dict
    assert not exports_audited().exists()


def test_too_many_cases_are_refused_with_advice(casefile, age_identity, monkeypatch):
    monkeypatch.setattr("asylon.ops.services.exports.MAX_CASES", 1)
    with pytest.raises(ValidationError) as raised:
        export(casefile, export_format="csv", recipients=str(age_identity.to_public()))
    assert "opened_from" in raised.value.message_dict


def test_when_encryption_fails_nothing_is_audited(casefile, age_identity, monkeypatch):
    def failing(*args, **kwargs):
        raise pyrage.EncryptError("no")

    monkeypatch.setattr("asylon.ops.services.exports.sealed", failing)
    with pytest.raises(ValidationError):
        export(casefile, export_format="csv", recipients=str(age_identity.to_public()))
    assert not exports_audited().exists()


def test_one_case_from_its_page(casefile, age_identity):
    exported = export(casefile, export_format="json", case=casefile.own.pk, recipients=str(age_identity.to_public()))
    document = json.loads(opened(exported.content, age_identity))
    assert [case["id"] for case in document["cases"]] == [str(casefile.own.pk)]
    assert exports_audited().get().details["scope"]["case"] == str(casefile.own.pk)
