"""Field clearance: each role receives only the fields its clearance reaches, through the selectors."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied

from asylon.accounts.clearance import (
    REDACTED,
    ROLE_CLEARANCE,
    SENSITIVITY,
    Level,
    field_level,
    redacted,
    visible_fields,
)
from asylon.accounts.models import Organisation, Role
from asylon.cases.models import Case, CaseMembership, Note
from asylon.cases.selectors import case_display
from asylon.cases.selectors_case_page import notes_display
from asylon.common.encrypted import PLAINTEXT_CACHE, encrypted_fields
from asylon.people.models import MilitaryServicePeriod, MilitaryServiceType, Person
from asylon.people.selectors import person_display, service_periods_display
from tests.factories import case_with_member, person_on_case, staff

IDENTITY = {"given_name", "family_name", "patronymic", "name_variants", "birth_date", "contacts", "identifiers"}
NARRATIVES = {"biography", "host_country_history", "addresses", "religion"}
UNIT_DETAILS = {"unit", "rank", "role"}


@pytest.fixture
def viewer(organisation):
    return staff(organisation, Role.VIEWER)


@pytest.fixture
def auditor(organisation):
    return staff(organisation, Role.AUDITOR)


@pytest.fixture
def person(case):
    return person_on_case(
        case,
        patronymic="Іванавіч",
        contacts={"signal": "+37060000000"},
        addresses=[{"city": "Vilnius", "street": "Gedimino 1"}],
        biography="Served, refused mobilisation, crossed the border",
        host_country_history="Entered through Poland",
        religion="Jehovah's Witness",
        birth_year=1995,
        citizenship="BY",
        military_service_category=MilitaryServiceType.CONSCRIPT,
    )


@pytest.fixture
def service(person):
    period = MilitaryServicePeriod(
        organisation=person.organisation,
        person=person,
        service_type=MilitaryServiceType.CONSCRIPT,
        start_year=2014,
        end_year=2015,
        unit="military unit 3214",
        rank="sergeant",
        role="driver",
    )
    period.save()
    return period


def fresh(model, pk):
    """The row as a new request would load it: every encrypted value still sealed."""
    return model.objects.get(pk=pk)


def test_every_field_of_every_personal_data_model_has_a_declared_level():
    for label, levels in SENSITIVITY.items():
        model = apps.get_model(label)
        names = {field.name for field in model._meta.get_fields() if field.concrete or field.many_to_many}
        undeclared, unknown = sorted(names - set(levels)), sorted(set(levels) - names)
        assert not undeclared and not unknown, f"{label}: undeclared {undeclared}, unknown {unknown}"


def test_every_encrypted_field_is_declared_confidential_or_above():
    for model in apps.get_models():
        for field in encrypted_fields(model):
            assert model._meta.label_lower in SENSITIVITY, f"{model._meta.label_lower} has encrypted fields"
            assert field_level(model, field.name) >= Level.CONFIDENTIAL, f"{model._meta.label_lower}.{field.name}"


def test_unlisted_fields_are_restricted():
    assert field_level(Person, "a_field_added_tomorrow") == Level.RESTRICTED
    assert field_level(Organisation, "name") == Level.RESTRICTED  # a model not in the registry


def test_clearance_per_role():
    assert ROLE_CLEARANCE == {
        Role.ORG_ADMIN: Level.RESTRICTED,
        Role.LAWYER: Level.RESTRICTED,
        Role.CASEWORKER: Level.CONFIDENTIAL,
        Role.VIEWER: Level.INTERNAL,
        Role.AUDITOR: Level.INTERNAL,
        Role.ANALYST: Level.PUBLIC,
    }
    assert set(ROLE_CLEARANCE) == set(Role.values)


def test_analyst_receives_no_names_narratives_notes_or_unit(analyst, person, service, case, caseworker):
    note = Note(organisation=case.organisation, case=case, author=caseworker, body="He hides at his aunt's")
    note.save()
    cases_summary = fresh(Case, case.pk)

    shown_person = redacted(analyst, fresh(Person, person.pk))
    shown_service = redacted(analyst, fresh(MilitaryServicePeriod, service.pk))
    shown_note = redacted(analyst, fresh(Note, note.pk))
    shown_case = redacted(analyst, cases_summary)

    assert not (IDENTITY | NARRATIVES) & set(shown_person)
    assert shown_person["given_name"] is REDACTED and shown_person.family_name is REDACTED
    assert not UNIT_DETAILS & set(shown_service)
    assert shown_service.unit is REDACTED
    assert "body" not in shown_note and shown_note.body is REDACTED
    assert "summary" not in shown_case
    # Coarse analytic fields remain for statistics.
    assert shown_person["birth_year"] == 1995 and shown_person["citizenship"] == "BY"
    assert shown_service["service_type"] == MilitaryServiceType.CONSCRIPT
    # Nothing identifying, nor even the record's id, reaches an analyst.
    assert "id" not in shown_person
    rendered = repr(dict(shown_person)) + repr(dict(shown_service)) + repr(dict(shown_note)) + repr(dict(shown_case))
    for secret in ("Тэст", "Іванавіч", "3214", "sergeant", "aunt", "Poland", "Gedimino", "Synthetic test case"):
        assert secret not in rendered


def test_fields_above_clearance_are_never_decrypted(analyst, person):
    loaded = fresh(Person, person.pk)
    redacted(analyst, loaded)
    assert not loaded.__dict__.get(PLAINTEXT_CACHE), "a withheld field was decrypted"


def test_analyst_cannot_open_persons_or_cases_through_the_selectors(analyst, person, case):
    with pytest.raises(Person.DoesNotExist):
        person_display(user=analyst, person_id=person.pk)
    with pytest.raises(Case.DoesNotExist):
        case_display(user=analyst, case_id=case.pk)


def test_caseworker_receives_names_and_narratives_but_not_unit_details(caseworker, person, service, case):
    shown = person_display(user=caseworker, person_id=person.pk)
    assert shown["given_name"] == "Тэст" and shown.patronymic == "Іванавіч"
    assert shown["biography"].startswith("Served") and shown["addresses"][0]["city"] == "Vilnius"

    (period,) = service_periods_display(user=caseworker, person=fresh(Person, person.pk))
    assert period.service_type == MilitaryServiceType.CONSCRIPT and period.start_year == 2014
    assert not UNIT_DETAILS & set(period)
    assert period.unit is REDACTED and period.rank is REDACTED and period.role is REDACTED
    assert case_display(user=caseworker, case_id=case.pk)["summary"] == "Synthetic test case"


def test_lawyer_and_org_admin_receive_every_field(lawyer, org_admin, person, service):
    for user in (lawyer, org_admin):
        shown = person_display(user=user, person_id=person.pk)
        assert not shown.hidden
        assert shown["religion"] == "Jehovah's Witness"
        (period,) = service_periods_display(user=user, person=person)
        assert (period["unit"], period["rank"], period["role"]) == ("military unit 3214", "sergeant", "driver")


@pytest.mark.parametrize("role", [Role.VIEWER, Role.AUDITOR])
def test_viewers_and_auditors_receive_internal_fields_only(role, organisation, case, person):
    reader = staff(organisation, role)
    CaseMembership.objects.create(organisation=organisation, case=case, user=reader)
    shown = person_display(user=reader, person_id=person.pk)
    assert not (IDENTITY | NARRATIVES) & set(shown)
    assert shown["id"] == person.pk and shown["citizenship"] == "BY"
    assert "summary" not in case_display(user=reader, case_id=case.pk)


def test_privileged_note_body_is_for_lawyers_of_the_case_only(case, lawyer, org_admin, caseworker):
    note = Note(organisation=case.organisation, case=case, author=lawyer, body="privileged advice", privileged=True)
    note.save()
    assert redacted(lawyer, fresh(Note, note.pk))["body"] == "privileged advice"
    assert redacted(org_admin, fresh(Note, note.pk))["body"] is REDACTED
    assert redacted(caseworker, fresh(Note, note.pk))["body"] is REDACTED
    assert [shown["body"] for shown in notes_display(user=lawyer, case=case)] == ["privileged advice"]
    assert notes_display(user=caseworker, case=case) == []


def test_need_to_know_still_decides_which_records_open(organisation, person, case, outsider):
    other_caseworker = staff(organisation)
    case_with_member(organisation, other_caseworker)
    with pytest.raises(Person.DoesNotExist):
        person_display(user=other_caseworker, person_id=person.pk)
    with pytest.raises(Case.DoesNotExist):
        case_display(user=other_caseworker, case_id=case.pk)
    with pytest.raises(Person.DoesNotExist):
        person_display(user=outsider, person_id=person.pk)
    with pytest.raises(PermissionDenied):
        redacted(outsider, person)  # no role in the person's organisation: no clearance at all


def test_redacted_view_is_read_only_and_hides_the_record(caseworker, person):
    shown = person_display(user=caseworker, person_id=person.pk)
    with pytest.raises(AttributeError):
        shown.given_name = "changed"
    with pytest.raises(AttributeError):
        shown.save  # noqa: B018
    with pytest.raises(KeyError):
        shown["not_a_field"]
    assert str(REDACTED) and not REDACTED
    assert set(visible_fields(caseworker, person)) == set(shown)
