import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from asylon.audit.models import AuditEntry
from asylon.cases.services.events import event_record
from asylon.evidence.models import Source
from asylon.evidence.services import source_create


def test_a_source_is_recorded_cited_by_an_event_and_audited(case, caseworker, organisation):
    event = event_record(
        actor=caseworker, case=case, event_type="summons_issued", date_precision="year", year=2023, description="x"
    )
    source = source_create(
        actor=caseworker,
        organisation=organisation,
        event=event,
        title="Law on Military Duty",
        url="https://example.org/law",
        published_on=datetime.date(2022, 1, 1),
        reliability="high",
    )
    assert list(event.sources.all()) == [source]
    entry = AuditEntry.objects.get(action="source.create", target_id=str(source.pk))
    assert entry.details == {"event": str(event.pk)}


def test_accessed_before_published_is_refused(caseworker, organisation):
    with pytest.raises(ValidationError) as raised:
        source_create(
            actor=caseworker,
            organisation=organisation,
            title="Report",
            published_on=datetime.date(2024, 5, 1),
            accessed_on=datetime.date(2024, 4, 1),
        )
    assert "accessed_on" in raised.value.message_dict
    assert not Source.objects.exists()


def test_an_empty_title_is_refused(caseworker, organisation):
    with pytest.raises(ValidationError) as raised:
        source_create(actor=caseworker, organisation=organisation, title="")
    assert "title" in raised.value.message_dict
    assert not Source.objects.exists()


def test_analysts_and_outsiders_may_not_add_sources(analyst, outsider, organisation):
    for actor in (analyst, outsider):
        with pytest.raises(PermissionDenied):
            source_create(actor=actor, organisation=organisation, title="Report")
    assert not Source.objects.exists()
