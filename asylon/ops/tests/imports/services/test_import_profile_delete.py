"""import_profile_delete: deletes the profile and audits it; refused to roles that may not import; runs
keep their mapping."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from asylon.accounts.models import Role
from asylon.audit.models import AuditEntry
from asylon.ops.models import ImportProfile, ImportRun
from asylon.ops.services.import_profiles import import_profile_delete
from tests.factories import staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile(organisation):
    mapping = {"Имя": "person.given_name"}
    return ImportProfile.objects.create(organisation=organisation, name="Register", mapping=mapping)


def test_delete_removes_the_profile_and_is_audited(profile, caseworker, organisation, mapped_run):
    run = mapped_run()
    ImportRun.objects.filter(pk=run.pk).update(profile=profile)
    profile_id = str(profile.pk)
    import_profile_delete(actor=caseworker, profile=profile)
    assert not ImportProfile.objects.exists()
    run.refresh_from_db()
    assert run.profile is None and run.mapping  # the run keeps its own mapping
    entry = AuditEntry.objects.get(action="import.profile_delete")
    assert (entry.actor_id, entry.target_id, entry.organisation_id) == (caseworker.pk, profile_id, organisation.pk)


@pytest.mark.parametrize("role", [Role.ANALYST, Role.VIEWER, Role.AUDITOR])
def test_roles_that_may_not_import_may_not_delete(profile, organisation, role):
    with pytest.raises(PermissionDenied):
        import_profile_delete(actor=staff(organisation, role), profile=profile)
    assert ImportProfile.objects.exists()
    assert not AuditEntry.objects.filter(action="import.profile_delete").exists()


def test_another_organisations_member_may_not_delete(profile, outsider):
    with pytest.raises(PermissionDenied):
        import_profile_delete(actor=outsider, profile=profile)
    assert ImportProfile.objects.exists()
