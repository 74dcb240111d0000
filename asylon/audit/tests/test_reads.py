"""The read audit: one `read` entry per request listing the ids the selectors returned for display."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from asylon.audit.middleware import AuditMiddleware
from asylon.audit.models import AuditEntry
from asylon.cases.models import Note
from asylon.cases.selectors import case_get, notes_of_case
from asylon.people.selectors import consents_of, person_get, persons_matching_name
from tests.factories import person_on_case

pytestmark = pytest.mark.django_db


def serve(user, view, path="/cases/x/"):
    request = RequestFactory().get(path)
    request.user = user
    return AuditMiddleware(lambda request: view(request) or HttpResponse("ok"))(request)


def reads():
    return list(AuditEntry.objects.filter(action="read"))


def test_one_entry_per_request_lists_every_record_shown(case, caseworker):
    person = person_on_case(case)

    def view(request):
        case_get(user=request.user, case_id=case.pk)
        person_get(user=request.user, person_id=person.pk)
        list(consents_of(user=request.user, person=person))

    serve(caseworker, view)

    [entry] = reads()
    assert entry.actor == caseworker
    assert entry.organisation_id == case.organisation_id
    assert entry.details == {"cases.case": [str(case.pk)], "people.person": [str(person.pk)]}


def test_only_the_page_actually_fetched_is_recorded(case, caseworker):
    notes = [Note.objects.create(organisation=case.organisation, case=case, body=f"n{n}") for n in range(5)]

    def view(request):
        queryset = notes_of_case(user=request.user, case=case)
        assert queryset.count() == 5  # counting shows nothing
        list(queryset[:2])

    serve(caseworker, view)

    [entry] = reads()
    assert entry.details == {"cases.note": [str(notes[0].pk), str(notes[1].pk)]}


def test_name_search_records_the_matches_shown(case, caseworker):
    from asylon.people.services import person_create

    person = person_create(actor=caseworker, case=case, given_name="Сяргей", family_name="Тэставы")
    person_create(actor=caseworker, case=case, given_name="Іван", family_name="Іншы")

    serve(caseworker, lambda request: list(persons_matching_name(user=request.user, text="Siarhei")))

    assert reads()[0].details == {"people.person": [str(person.pk)]}


def test_a_request_that_shows_nothing_writes_nothing(caseworker):
    serve(caseworker, lambda request: None)

    assert reads() == []


def test_reads_outside_requests_are_not_collected(case, caseworker):
    case_get(user=caseworker, case_id=case.pk)

    assert reads() == []


def test_records_of_two_organisations_give_one_entry_each(case, caseworker):
    from asylon.accounts.models import Membership, Role
    from tests.factories import OrganisationFactory, case_with_member

    other = OrganisationFactory()
    Membership.objects.create(user=caseworker, organisation=other, role=Role.CASEWORKER)
    other_case = case_with_member(other, caseworker)

    def view(request):
        case_get(user=request.user, case_id=case.pk)
        case_get(user=request.user, case_id=other_case.pk)

    serve(caseworker, view)

    assert {(entry.organisation_id, tuple(entry.details["cases.case"])) for entry in reads()} == {
        (case.organisation_id, (str(case.pk),)),
        (other.pk, (str(other_case.pk),)),
    }
