import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from asylon.audit.models import AuditEntry
from asylon.people.models import ConsentPurpose, ConsentRecord
from asylon.people.selectors import consent_active
from asylon.people.services import consent_record, person_create
from asylon.people.services_consent import consent_withdraw


@pytest.fixture
def person(case, caseworker):
    return person_create(actor=caseworker, case=case, given_name="Ганна")


def test_consent_given_and_withdrawn(person, caseworker):
    consent = consent_record(
        actor=caseworker,
        person=person,
        purpose=ConsentPurpose.PUBLICATION,
        given_on=datetime.date(2024, 3, 1),
        note="signed form",
    )
    assert consent_active(person=person, purpose=ConsentPurpose.PUBLICATION)

    consent_withdraw(actor=caseworker, consent=consent, withdrawn_on=datetime.date(2024, 4, 1))

    assert not consent_active(person=person, purpose=ConsentPurpose.PUBLICATION)
    assert AuditEntry.objects.filter(action="consent.give", target_id=str(consent.pk)).exists()
    assert AuditEntry.objects.filter(action="consent.withdraw", target_id=str(consent.pk)).exists()


def test_duplicate_active_consent_is_refused(person, caseworker):
    consent_record(actor=caseworker, person=person, purpose=ConsentPurpose.CASEWORK, given_on=datetime.date(2024, 3, 1))

    with pytest.raises(ValidationError) as raised:
        consent_record(
            actor=caseworker, person=person, purpose=ConsentPurpose.CASEWORK, given_on=datetime.date(2024, 3, 2)
        )
    assert "purpose" in raised.value.message_dict
    assert ConsentRecord.objects.count() == 1


def test_unknown_purpose_and_future_date_are_refused(person, caseworker):
    with pytest.raises(ValidationError) as raised:
        consent_record(actor=caseworker, person=person, purpose="marketing", given_on=datetime.date(2999, 1, 1))
    assert {"purpose", "given_on"} <= set(raised.value.message_dict)
    assert not ConsentRecord.objects.exists()


def test_withdrawal_before_giving_is_refused(person, caseworker):
    consent = consent_record(
        actor=caseworker, person=person, purpose=ConsentPurpose.ALERT, given_on=datetime.date(2024, 3, 1)
    )
    with pytest.raises(ValidationError):
        consent_withdraw(actor=caseworker, consent=consent, withdrawn_on=datetime.date(2024, 2, 1))
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_outsider_cannot_record_consent(person, outsider):
    with pytest.raises(PermissionDenied):
        consent_record(actor=outsider, person=person, purpose=ConsentPurpose.ALERT, given_on=datetime.date(2024, 3, 1))
