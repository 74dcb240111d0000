from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from asylon.audit.models import AuditEntry
from asylon.cases.models import Case, CaseMembership
from asylon.cases.selectors import cases_visible_to


def synth(*arguments):
    out = StringIO()
    call_command("synth", *arguments, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_synth_writes_persons_and_prints_a_summary(organisation, caseworker, lawyer, analyst, org_admin):
    output = synth("--persons", "20", "--seed", "4", "--organisation", organisation.slug)

    assert Case.objects.filter(organisation=organisation).count() == 20
    assert "people.Person" in output and "cases.Event" in output and "audit.AuditEntry" in output
    assert "20 persons in" in output
    # Need-to-know: non-admin staff become members of some cases, analysts of none.
    assert 0 < cases_visible_to(caseworker).count() < 20
    assert 0 < cases_visible_to(lawyer).count() < 20
    assert not CaseMembership.objects.filter(user=analyst).exists()
    assert not CaseMembership.objects.filter(user=org_admin).exists()
    assert AuditEntry.objects.filter(action="case.member_add", organisation=organisation).count() == (
        CaseMembership.objects.filter(organisation=organisation).count()
    )


def test_the_first_organisation_is_the_default(organisation):
    synth("--persons", "3", "--seed", "9")
    assert Case.objects.filter(organisation=organisation).count() == 3


def test_synth_refuses_a_seed_already_loaded(organisation):
    synth("--persons", "3", "--seed", "5")
    with pytest.raises(CommandError, match="already synthesised"):
        synth("--persons", "3", "--seed", "5")


def test_synth_names_an_unknown_organisation(organisation):
    with pytest.raises(CommandError, match="No organisation"):
        synth("--persons", "3", "--organisation", "nobody")
