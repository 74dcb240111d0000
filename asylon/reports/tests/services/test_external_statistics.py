"""The registry of cited outside figures: create, correct, delete, and the sample figures' loader."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from asylon.audit.models import AuditEntry
from asylon.evidence.models import Source
from asylon.evidence.services import source_create
from asylon.reports.models import ExternalStatistic
from asylon.reports.selectors.external_statistics import external_statistic_get, external_statistics_of
from asylon.reports.services.external_statistics import (
    external_statistic_create,
    external_statistic_delete,
    external_statistic_update,
)
from asylon.reports.services.outside_figures import OUTSIDE_FIGURES_FILE, outside_figures_load

pytestmark = pytest.mark.django_db

CITATION = {"title": "Annual report", "publisher": "Migration Department", "reliability": "high"}


def figure(actor, organisation, **fields):
    arguments = {"code": "by_threats_2024", "label": "Belarusians deemed threats", "value": Decimal("598")}
    if "source" not in fields:
        arguments["new_source"] = dict(CITATION)
    return external_statistic_create(actor=actor, organisation=organisation, **{**arguments, **fields})


def test_an_analyst_registers_a_figure_with_a_new_citation_and_both_are_audited(analyst, organisation):
    statistic = figure(analyst, organisation, qualifier="over", period_start=datetime.date(2024, 1, 1))
    assert external_statistic_get(organisation=organisation, code="by_threats_2024") == statistic
    assert statistic.source.title == "Annual report" and statistic.source.organisation == organisation
    entry = AuditEntry.objects.get(action="external_statistic.create", target_id=str(statistic.pk))
    assert entry.actor_id == analyst.pk and entry.details == {"code": "by_threats_2024"}
    assert AuditEntry.objects.filter(action="source.create", target_id=str(statistic.source.pk), actor_id=analyst.pk)


def test_a_figure_cites_an_existing_source(org_admin, organisation):
    source = source_create(actor=org_admin, organisation=organisation, title="Press report")
    statistic = figure(org_admin, organisation, source=source)
    assert statistic.source == source and Source.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"code": "not a code!"}, "code"),
        ({"label": ""}, "label"),
        ({"value": Decimal("1e15")}, "value"),
        ({"period_start": datetime.date(2024, 2, 1), "period_end": datetime.date(2024, 1, 1)}, "period_end"),
        ({"new_source": {"title": ""}}, "source_title"),
        ({"new_source": {"title": "x", "url": "javascript:alert(1)"}}, "source_url"),
        ({"new_source": None}, "source"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_invalid_figures_are_refused_and_nothing_is_written(analyst, organisation, fields, field):
    with pytest.raises(ValidationError) as raised:
        figure(analyst, organisation, **fields)
    assert field in raised.value.message_dict
    assert not ExternalStatistic.objects.exists() and not Source.objects.exists()
    assert not AuditEntry.objects.filter(action__in=["external_statistic.create", "source.create"]).exists()


def test_a_code_is_unique_within_an_organisation_only(analyst, organisation, outsider):
    from asylon.accounts.models import Role
    from tests.factories import staff

    figure(analyst, organisation)
    with pytest.raises(ValidationError) as raised:
        figure(analyst, organisation)
    assert raised.value.message_dict and ExternalStatistic.objects.count() == 1
    other_analyst = staff(outsider.memberships.get().organisation, Role.ANALYST)
    figure(other_analyst, outsider.memberships.get().organisation)
    assert ExternalStatistic.objects.count() == 2


def test_a_source_of_another_organisation_cannot_be_cited(analyst, organisation, outsider):
    foreign = source_create(actor=outsider, organisation=outsider.memberships.get().organisation, title="Theirs")
    with pytest.raises(ValidationError) as raised:
        figure(analyst, organisation, source=foreign)
    assert "source" in raised.value.message_dict and not ExternalStatistic.objects.exists()


def test_only_admins_and_analysts_of_the_organisation_may_write(caseworker, lawyer, outsider, analyst, organisation):
    for actor in (caseworker, lawyer, outsider):
        with pytest.raises(PermissionDenied):
            figure(actor, organisation)
    assert not ExternalStatistic.objects.exists() and not Source.objects.exists()
    statistic = figure(analyst, organisation)
    for actor in (caseworker, outsider):
        with pytest.raises(PermissionDenied):
            external_statistic_update(actor=actor, statistic=statistic, value=Decimal("1"))
        with pytest.raises(PermissionDenied):
            external_statistic_delete(actor=actor, statistic=statistic)
    statistic.refresh_from_db()
    assert statistic.value == Decimal("598")


def test_an_update_writes_and_audits_only_what_changed(analyst, organisation):
    statistic = figure(analyst, organisation)
    external_statistic_update(actor=analyst, statistic=statistic, value=Decimal("600"), label=statistic.label)
    entry = AuditEntry.objects.get(action="external_statistic.update")
    assert entry.changed_fields == ["value"]
    statistic.refresh_from_db()
    assert statistic.value == Decimal("600")
    external_statistic_update(actor=analyst, statistic=statistic, value=Decimal("600"))
    assert AuditEntry.objects.filter(action="external_statistic.update").count() == 1


def test_an_update_may_cite_a_new_source(analyst, organisation):
    statistic = figure(analyst, organisation)
    old = statistic.source
    external_statistic_update(actor=analyst, statistic=statistic, new_source={"title": "Correction"})
    statistic.refresh_from_db()
    assert statistic.source.title == "Correction" and Source.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.get(action="external_statistic.update").changed_fields == ["source"]


def test_an_invalid_update_writes_nothing(analyst, organisation):
    statistic = figure(analyst, organisation)
    with pytest.raises(ValidationError):
        external_statistic_update(
            actor=analyst, statistic=statistic, value=Decimal("1"), new_source={"title": "x", "url": "not a url"}
        )
    statistic = ExternalStatistic.objects.get()
    assert statistic.value == Decimal("598") and Source.objects.count() == 1
    assert not AuditEntry.objects.filter(action="external_statistic.update").exists()


def test_delete_removes_the_figure_keeps_its_source_and_is_audited(analyst, organisation):
    statistic = figure(analyst, organisation)
    pk = statistic.pk
    external_statistic_delete(actor=analyst, statistic=statistic)
    assert not ExternalStatistic.objects.exists() and Source.objects.count() == 1
    entry = AuditEntry.objects.get(action="external_statistic.delete")
    assert entry.target_id == str(pk) and entry.details == {"code": "by_threats_2024"}


def test_the_loader_registers_every_sample_figure_once(organisation):
    data = json.loads(OUTSIDE_FIGURES_FILE.read_text(encoding="utf-8"))
    loaded = outside_figures_load(actor=None, organisation=organisation)
    assert loaded.figures == len(data["figures"]) and loaded.sources == len(data["sources"])
    statistics = {s.code: s for s in external_statistics_of(organisation=organisation)}
    assert set(statistics) == {f["code"] for f in data["figures"]}
    for entry in data["figures"]:
        statistic = statistics[entry["code"]]
        assert statistic.value == Decimal(entry["value"]) and statistic.qualifier == entry.get("qualifier", "")
    # The seed report's four figures and the November 2023 and 2024 figures, as DOMAIN.md states them.
    expected = {
        "by_refuge_lt_2023": ("about", 48804),
        "by_residing_lt_2023_07": ("about", 55000),
        "by_threats_6m_2023": ("over", 1165),
        "by_residence_refusals_2023": ("about", 300),
        "by_threats_2023_11": ("", 1644),
        "ru_threats_2023_11": ("", 397),
        "by_threats_2024": ("", 598),
        "ru_threats_2024": ("", 125),
    }
    for code, (qualifier, value) in expected.items():
        assert (statistics[code].qualifier, statistics[code].value) == (qualifier, value)
    by_kinds = [s.value for code, s in statistics.items() if code.startswith("by_") and code.endswith("_2023_11")]
    assert sum(by_kinds) - statistics["by_threats_2023_11"].value == 1644  # the six decision kinds add up
    # Every source is marked as what it is: secondary, not verified against the primary source.
    assert all(s.source.reliability == "medium" and "secondary" in s.source.citation for s in statistics.values())

    again = outside_figures_load(actor=None, organisation=organisation)
    assert (again.figures, again.sources) == (0, 0)
    assert ExternalStatistic.objects.count() == len(data["figures"]) and Source.objects.count() == len(data["sources"])


def test_the_loader_leaves_edited_figures_alone_and_needs_the_permission(analyst, caseworker, organisation):
    outside_figures_load(actor=analyst, organisation=organisation)
    statistic = external_statistic_get(organisation=organisation, code="by_threats_2024")
    external_statistic_update(actor=analyst, statistic=statistic, value=Decimal("599"))
    outside_figures_load(actor=analyst, organisation=organisation)
    assert external_statistic_get(organisation=organisation, code="by_threats_2024").value == Decimal("599")
    with pytest.raises(PermissionDenied):
        outside_figures_load(actor=caseworker, organisation=organisation)
