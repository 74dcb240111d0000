"""The withdrawal page says what withdrawing this purpose stops; the withdrawal through it stops it and is audited."""

import datetime

import pytest
from django.urls import reverse

from asylon.audit.models import AuditEntry
from asylon.cases.models import Event
from asylon.people.services import consent_record
from tests.factories import event_on, sign_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("purpose", "says"),
    [
        ("publication", "left out of every published count"),
        ("statistics", "left out of every statistical count"),
        ("alert", "safe for urgent-action alerts"),
        ("sharing", "left out of every export"),
        ("casework", "Their record will be restricted"),
    ],
)
def test_the_page_says_what_withdrawal_stops(client, caseworker, person, purpose, says):
    consent = consent_record(actor=caseworker, person=person, purpose=purpose, given_on=datetime.date(2024, 1, 1))
    sign_in(client, caseworker)
    page = client.get(reverse("people:consent_withdraw", args=[person.pk, consent.pk])).content.decode()
    assert says in page


def test_withdrawing_through_the_page_stops_the_alert_marks(client, caseworker, person, case):
    event = event_on(case, person, "summons_issued", 2024, 2, alert_safe=True)
    consent = consent_record(actor=caseworker, person=person, purpose="alert", given_on=datetime.date(2024, 1, 1))
    sign_in(client, caseworker)
    response = client.post(
        reverse("people:consent_withdraw", args=[person.pk, consent.pk]), {"withdrawn_on": "2024-03-01"}
    )
    assert response.status_code == 302
    assert not Event.objects.get(pk=event.pk).alert_safe
    entry = AuditEntry.objects.get(action="consent.withdraw")
    assert entry.actor_id == caseworker.pk and entry.details["stopped"] == {"events_not_alert_safe": 1}
