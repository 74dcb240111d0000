"""The duplicates pages: the list, the comparison that merges after re-authentication, dismissing,
the person page's panel, and old person URLs leading to the record that stayed."""

import datetime

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from django.urls import reverse

from asylon.audit.models import AuditEntry
from asylon.people.models import DuplicateCandidate, DuplicateStatus, Person
from asylon.people.services import person_create
from asylon.people.services_merge import duplicates_scan, persons_merge
from tests.factories import case_with_member, sign_in, signed_in, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_case(organisation, caseworker, lawyer):
    return case_with_member(organisation, caseworker, lawyer)


@pytest.fixture
def twins(case, other_case, caseworker):
    first = person_create(
        actor=caseworker, case=case, given_name="Сяргей", family_name="Іваноў", birth_date=datetime.date(1990, 3, 4)
    )
    second = person_create(
        actor=caseworker,
        case=other_case,
        given_name="Sergei",
        family_name="Ivanov",
        birth_year=1990,
        religion="Orthodox",
    )
    return first, second


@pytest.fixture
def candidate(twins, org_admin, case):
    duplicates_scan(actor=org_admin, organisation=case.organisation)
    return DuplicateCandidate.objects.get()


def signed_in_long_ago(client, user):
    sign_in(client, user)
    session = client.session
    for method in session[AUTHENTICATION_METHODS_SESSION_KEY]:
        method["at"] -= 3600
    session.save()
    return client


def test_list_shows_the_pair_with_reasons_in_words(client, caseworker, candidate):
    sign_in(client, caseworker)

    body = client.get(reverse("people:duplicate_list")).content.decode()

    assert "Сяргей" in body and "Sergei" in body
    assert "names meet across scripts and spellings" in body and "same year of birth" in body
    assert reverse("people:duplicate_compare", args=[candidate.pk]) in body


def test_list_hides_a_pair_with_a_person_the_user_may_not_see(client, organisation, case, candidate):
    member_of_one = staff(organisation)
    case.memberships.create(organisation=organisation, user=member_of_one)
    signed_in(client, member_of_one)

    body = client.get(reverse("people:duplicate_list")).content.decode()

    assert "Sergei" not in body and "Сяргей" not in body
    assert client.get(reverse("people:duplicate_compare", args=[candidate.pk])).status_code == 404


def test_scan_button_records_candidates(client, caseworker, twins):
    sign_in(client, caseworker)

    response = client.post(reverse("people:duplicate_scan"))

    assert response.status_code == 302
    assert DuplicateCandidate.objects.count() == 1
    assert AuditEntry.objects.filter(action="person.duplicates_scan", actor=caseworker).exists()


def test_compare_needs_a_fresh_reauthentication(client, caseworker, candidate):
    signed_in_long_ago(client, caseworker)
    url = reverse("people:duplicate_compare", args=[candidate.pk])

    assert reverse("account_reauthenticate") in client.get(url).url
    response = client.post(url, {"survivor": "first"})

    assert response.status_code == 302 and reverse("account_reauthenticate") in response.url
    assert Person.objects.count() == 2


def test_compare_side_by_side_then_merge_choosing_a_value(client, caseworker, candidate, twins):
    signed_in(client, caseworker)
    url = reverse("people:duplicate_compare", args=[candidate.pk])
    body = client.get(url).content.decode()
    assert "Сяргей" in body and "Sergei" in body and 'name="keep_given_name"' in body

    first_is_cyrillic = candidate.person_id == twins[0].pk
    keep_latin = "second" if first_is_cyrillic else "first"
    response = client.post(url, {"survivor": "first", "keep_given_name": keep_latin})

    survivor = Person.objects.get()
    assert response.status_code == 302 and response.url == reverse("people:person_detail", args=[survivor.pk])
    assert survivor.pk == candidate.person_id and survivor.given_name == "Sergei"
    assert AuditEntry.objects.filter(action="person.merge", actor=caseworker).count() == 1


def test_old_person_url_redirects_to_the_survivor_or_404(client, caseworker, outsider, twins):
    first, second = twins
    persons_merge(actor=caseworker, survivor=first, merged=second)
    old = reverse("people:person_detail", args=[second.pk])

    response = sign_in(client, caseworker).get(old)
    assert response.status_code == 302 and response.url == reverse("people:person_detail", args=[first.pk])

    assert sign_in(client, outsider).get(old).status_code == 404


def test_dismiss_is_audited_and_the_pair_leaves_the_list(client, caseworker, candidate):
    sign_in(client, caseworker)

    response = client.post(reverse("people:duplicate_dismiss", args=[candidate.pk]))

    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == DuplicateStatus.DISMISSED
    assert AuditEntry.objects.filter(action="person.duplicate_dismiss").exists()
    assert (
        reverse("people:duplicate_compare", args=[candidate.pk])
        not in client.get(reverse("people:duplicate_list")).content.decode()
    )


def test_viewer_may_not_merge_or_dismiss(client, organisation, case, other_case, candidate):
    from asylon.accounts.models import Role

    viewer = staff(organisation, Role.VIEWER)
    for each in (case, other_case):
        each.memberships.create(organisation=organisation, user=viewer)
    signed_in(client, viewer)

    assert client.get(reverse("people:duplicate_compare", args=[candidate.pk])).status_code == 403
    assert client.post(reverse("people:duplicate_dismiss", args=[candidate.pk])).status_code == 403
    assert client.post(reverse("people:duplicate_scan")).status_code == 403


def test_person_page_panel_finds_unrecorded_duplicates_and_records_them_on_compare(client, caseworker, twins):
    first, second = twins
    sign_in(client, caseworker)

    body = client.get(reverse("people:person_detail", args=[first.pk])).content.decode()

    assert "Possible duplicates" in body and "Sergei" in body
    assert not DuplicateCandidate.objects.exists()  # the page computes, it does not write
    response = client.post(reverse("people:duplicate_propose", args=[first.pk]), {"other": str(second.pk)})

    candidate = DuplicateCandidate.objects.get()
    assert response.url == reverse("people:duplicate_compare", args=[candidate.pk])
    assert AuditEntry.objects.filter(action="person.duplicate_propose").exists()


def test_propose_refuses_a_pair_that_is_not_a_candidate(client, caseworker, case, twins):
    stranger = person_create(actor=caseworker, case=case, given_name="Olga", family_name="Petrova")
    sign_in(client, caseworker)

    response = client.post(reverse("people:duplicate_propose", args=[twins[0].pk]), {"other": str(stranger.pk)})

    assert response.status_code == 302 and not DuplicateCandidate.objects.exists()


def test_audit_page_links_an_old_person_id_through_its_tombstone(client, org_admin, caseworker, twins):
    first, second = twins
    persons_merge(actor=caseworker, survivor=first, merged=second)
    sign_in(client, org_admin)

    body = client.get(reverse("audit:entry_list")).content.decode()

    assert f'href="{reverse("people:person_detail", args=[second.pk])}"' in body
