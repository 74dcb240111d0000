import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from asylon.audit.models import AuditEntry
from asylon.cases.models import Case, Event, Note
from asylon.cases.services.case import case_open
from asylon.cases.services.erasure import case_erase
from asylon.evidence.models import Document
from asylon.evidence.services.documents import document_store
from asylon.evidence.tests.samples import png
from asylon.people.models import Person, PersonTombstone, TombstoneReason
from asylon.people.services import person_create
from tests.factories import case_with_member, event_on


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def closed_case(organisation, caseworker):
    """A case with a client of its own, a client also party to another case, an event, a note and a file."""
    case = case_with_member(organisation, caseworker)
    only_here = person_create(actor=caseworker, case=case, given_name="Pavel", family_name="Only")
    event_on(case, only_here, "summons_issued", 2022, 3)
    Note.objects.create(organisation=organisation, case=case, author=caseworker, body="Closed case note")
    document_store(actor=caseworker, case=case, data=png(), filename="summons.png", content_type="image/png")
    return case


def test_a_case_goes_whole_with_the_persons_it_leaves_without_a_case(
    closed_case, organisation, caseworker, org_admin, private_media, django_capture_on_commit_callbacks
):
    elsewhere_case = case_with_member(organisation, caseworker)
    shared = person_create(actor=caseworker, case=elsewhere_case, given_name="Ales", family_name="Shared")
    from asylon.cases.models import CaseParty

    CaseParty.objects.create(organisation=organisation, case=closed_case, person=shared, role="co_applicant")
    only_here = CaseParty.objects.get(case=closed_case, role="client").person
    files = list((private_media / "documents").iterdir())
    assert files

    with django_capture_on_commit_callbacks(execute=True):
        erasure = case_erase(actor=org_admin, case=closed_case, reason="retention")

    assert erasure.case_ids == [str(closed_case.pk)]
    assert not Case.objects.filter(pk=closed_case.pk).exists()
    assert not Event.objects.filter(case_id=closed_case.pk).exists()
    assert not Note.objects.filter(case_id=closed_case.pk).exists()
    assert not Document.objects.exists() and not [path for path in files if path.exists()]
    assert not Person.objects.filter(pk=only_here.pk).exists()
    assert PersonTombstone.objects.get(former_person_id=only_here.pk).reason == TombstoneReason.ERASED
    # Party to another case too: the person stays, with that case.
    assert Person.objects.filter(pk=shared.pk, case_parties__case=elsewhere_case).exists()
    entry = AuditEntry.objects.get(action="case.erase", target_id=str(closed_case.pk))
    assert entry.actor == org_admin and entry.details == {"reason": "retention", "via": "erasure.case"}


def test_the_retention_schedule_erases_without_an_actor(closed_case, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case_erase(actor=None, case=closed_case, reason="retention")

    assert not Case.objects.filter(pk=closed_case.pk).exists()
    assert AuditEntry.objects.get(action="erasure.case").actor is None


def test_without_an_actor_only_retention_erases(closed_case):
    with pytest.raises(PermissionDenied):
        case_erase(actor=None, case=closed_case, reason="request")
    assert Case.objects.filter(pk=closed_case.pk).exists()


@pytest.mark.parametrize("role", ["caseworker", "lawyer", "viewer"])
def test_only_organisation_admins_erase_cases(closed_case, organisation, role):
    from tests.factories import staff

    actor = staff(organisation, role)
    from asylon.cases.models import CaseMembership

    CaseMembership.objects.create(organisation=organisation, case=closed_case, user=actor)

    with pytest.raises(PermissionDenied):
        case_erase(actor=actor, case=closed_case, reason="request")
    assert Case.objects.filter(pk=closed_case.pk).exists()


def test_an_unknown_reason_is_refused(closed_case, org_admin):
    with pytest.raises(ValidationError) as refused:
        case_erase(actor=org_admin, case=closed_case, reason="tidy")
    assert "reason" in refused.value.message_dict
    assert Case.objects.filter(pk=closed_case.pk).exists()


def test_a_case_erased_already_is_refused(closed_case, org_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case_erase(actor=org_admin, case=closed_case, reason="request")
    with pytest.raises(ValidationError):
        case_erase(actor=org_admin, case=closed_case, reason="request")


def test_new_cases_are_numbered_past_the_gap_an_erased_case_leaves(
    organisation, org_admin, django_capture_on_commit_callbacks
):
    opened = datetime.date(2024, 3, 1)
    first, second = (case_open(actor=org_admin, organisation=organisation, opened_on=opened) for _ in range(2))
    with django_capture_on_commit_callbacks(execute=True):
        case_erase(actor=org_admin, case=first, reason="request")

    third = case_open(actor=org_admin, organisation=organisation, opened_on=opened)

    assert third.reference != second.reference and third.reference.endswith("00003")
