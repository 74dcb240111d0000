"""Writes outside the services reach the chained log through django-auditlog, as field names only."""

import pytest
from django.db import connection

from asylon.audit.models import AuditEntry
from asylon.audit.verify import verify_chain
from asylon.cases.models import Case
from asylon.people.models import Person

pytestmark = pytest.mark.django_db


def captured(action, obj):
    return AuditEntry.objects.filter(action=action, target_id=str(obj.pk))


def test_a_shell_write_is_captured_with_field_names_only(case):
    person = Person(organisation=case.organisation, given_name="Сяргей", family_name="Тэставы", birth_year=1990)
    person.save()

    entry = captured("captured.create", person).get()
    assert entry.target_type == "people.person"
    assert entry.organisation_id == case.organisation_id
    assert {"given_name", "family_name", "birth_year"} <= set(entry.changed_fields)
    assert {"given_name", "family_name"} <= set(entry.details["encrypted"])
    assert "birth_year" not in entry.details["encrypted"]

    person = Person.objects.get(pk=person.pk)
    person.family_name = "Іншы"
    person.save()

    update = captured("captured.update", person).get()
    assert update.changed_fields == ["family_name"]
    assert update.details == {"encrypted": ["family_name"]}
    assert verify_chain(public_keys=[]).ok


def test_no_personal_value_reaches_the_audit_table(case):
    person = Person(organisation=case.organisation, given_name="Unikalnaje-Imia", family_name="Pryzvišča-Tajnaje")
    person.save()
    person.given_name = "Novaje-Imia-Sakrэt"
    person.save()
    Person.objects.get(pk=person.pk).delete()

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM audit_auditentry")
        dump = repr(cursor.fetchall())
    for value in ("Unikalnaje", "Pryzvišča", "Novaje"):
        assert value not in dump
    assert captured("captured.delete", person).exists()


def test_auditlog_keeps_no_table_of_its_own():
    tables = connection.introspection.table_names()
    assert "auditlog_logentry" not in tables
    assert "audit_captured_change_not_stored" not in tables


def test_a_service_write_is_audited_once(case, caseworker):
    from asylon.people.services import person_create

    person = person_create(actor=caseworker, case=case, given_name="Сяргей", family_name="Тэставы")

    assert AuditEntry.objects.filter(target_id=str(person.pk)).values_list("action", flat=True).get() == "person.create"
    assert not AuditEntry.objects.filter(action__startswith="captured.", target_type="cases.caseparty").exists()


def test_a_write_by_a_service_in_a_services_package_is_audited_once(case, caseworker):
    from asylon.cases.services.events import event_record

    event = event_record(actor=caseworker, case=case, event_type="summons_issued", date_precision="year", year=2023)

    assert AuditEntry.objects.filter(target_id=str(event.pk)).values_list("action", flat=True).get() == "event.create"


@pytest.mark.parametrize(
    ("module", "service"),
    [
        ("asylon.people.services", True),
        ("asylon.cases.services.events", True),
        ("asylon.people.services_merge", True),
        ("asylon.audit.services", False),
        ("asylon.cases.selectors", False),
        ("asylon.people.servicesmith", False),
        ("django.db.models.query", False),
    ],
)
def test_service_modules_are_recognised(module, service):
    from asylon.audit.capture import is_service_module

    assert is_service_module(module) is service


def test_an_unchanged_save_writes_nothing(case):
    case = Case.objects.get(pk=case.pk)
    before = AuditEntry.objects.count()

    case.save()

    assert AuditEntry.objects.count() == before


def test_an_admin_change_names_the_signed_in_operator(client, case, org_admin):
    from django.test import RequestFactory

    from asylon.audit import context

    request = RequestFactory().post("/admin/cases/case/")
    request.user = org_admin
    token = context.begin("192.0.2.10", request)
    try:
        case = Case.objects.get(pk=case.pk)
        case.summary = "changed from the admin"
        case.save()
    finally:
        context.end(token)

    entry = captured("captured.update", case).get()
    assert entry.actor == org_admin
    assert entry.remote_address == "192.0.2.10"
    assert entry.changed_fields == ["summary"] and entry.details == {"encrypted": ["summary"]}


def test_a_membership_changed_outside_the_services_is_captured(organisation, caseworker):
    from asylon.accounts.models import Membership, Role

    membership = Membership.objects.get(user=caseworker, organisation=organisation)
    membership.role = Role.ORG_ADMIN
    membership.save()

    entry = captured("captured.update", membership).get()
    assert entry.changed_fields == ["role"] and entry.details == {"encrypted": []}
    assert entry.organisation_id == organisation.pk
