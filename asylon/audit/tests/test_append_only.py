import pytest

from asylon.audit import services as audit
from asylon.audit.models import AuditEntry, AuditLogIsAppendOnly


@pytest.mark.django_db
def test_entries_cannot_be_changed_or_deleted(organisation):
    entry = audit.record(actor=None, action="test.action", target=organisation)

    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(action="forged")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.action"


@pytest.mark.django_db
def test_record_many_appends_one_entry_per_target(organisation):
    from tests.factories import CaseFactory

    cases = [CaseFactory(organisation=organisation) for _ in range(3)]
    assert audit.record_many(actor=None, action="case.open", targets=cases) == 3
    assert set(AuditEntry.objects.filter(action="case.open").values_list("target_id", flat=True)) == {
        str(case.pk) for case in cases
    }
