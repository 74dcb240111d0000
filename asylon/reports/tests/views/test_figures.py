"""The outside-figure pages: list, add, edit and delete, with and without htmx."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from asylon.audit.models import AuditEntry
from asylon.evidence.models import Source
from asylon.reports.models import ExternalStatistic
from asylon.reports.services.external_statistics import external_statistic_create
from asylon.reports.services.outside_figures import outside_figures_load
from tests.factories import sign_in
from tests.naughty import naughty_strings

pytestmark = pytest.mark.django_db
LIST = reverse("reports:figure_list")
CREATE = reverse("reports:figure_create")
NEW = {
    "code": "by_threats_2024",
    "label": "Belarusians deemed threats",
    "value": "598",
    "qualifier": "",
    "unit": "persons",
    "period_start": "2024-01-01",
    "period_end": "2024-12-31",
    "source_title": "Lithuania deemed 598 Belarusians a threat",
    "source_publisher": "Ukrainska Pravda",
    "source_url": "https://www.pravda.com.ua/",
    "source_reliability": "medium",
}
HTMX = {"HX-Request": "true"}


@pytest.fixture
def statistic(analyst, organisation):
    return external_statistic_create(
        actor=analyst,
        organisation=organisation,
        code="by_refuge_lt_2023",
        label="Belarusians who sought refuge",
        value=Decimal("48804"),
        qualifier="about",
        new_source={"title": "August 2023 report", "publisher": "Our House"},
    )


def test_the_list_shows_each_figure_as_stated_with_its_citation(client, caseworker, organisation):
    outside_figures_load(actor=None, organisation=organisation)
    sign_in(client, caseworker)
    response = client.get(LIST)
    page = response.content.decode()
    assert response.status_code == 200
    assert "about 48,804" in page and "over 1,165" in page and "by_threats_2024" in page
    assert "Ukrainska Pravda" in page and "https://www.pravda.com.ua/" in page
    assert reverse("reports:figure_create") not in page  # a caseworker reads, but does not write


def test_adding_a_figure_with_a_new_citation_without_javascript(client, analyst, organisation):
    sign_in(client, analyst)
    assert "<html" in client.get(CREATE).content.decode()
    partial = client.get(CREATE, headers=HTMX).content.decode()
    assert "<form" in partial and "<html" not in partial
    response = client.post(CREATE, NEW)
    assert response.status_code == 302 and response["Location"].startswith(LIST)
    statistic = ExternalStatistic.objects.get()
    assert statistic.value == Decimal("598") and statistic.source.publisher == "Ukrainska Pravda"
    assert statistic.source.reliability == "medium"
    assert AuditEntry.objects.filter(action="external_statistic.create", actor_id=analyst.pk).exists()


def test_adding_a_figure_citing_a_recorded_source_with_htmx(client, org_admin, organisation, statistic):
    sign_in(client, org_admin)
    data = {**NEW, "source_title": "", "source": str(statistic.source.pk), "code": "by_other"}
    response = client.post(CREATE, data, headers=HTMX)
    assert response.status_code == 200 and response["HX-Redirect"].startswith(LIST)
    assert ExternalStatistic.objects.get(code="by_other").source == statistic.source
    assert Source.objects.count() == 1


def test_errors_come_back_in_the_form_and_nothing_is_written(client, analyst):
    sign_in(client, analyst)
    bad = {**NEW, "period_start": "2024-12-31", "period_end": "2024-01-01", "source_url": "javascript:alert(1)"}
    response = client.post(CREATE, bad, headers=HTMX)
    page = response.content.decode()
    assert response.status_code == 200 and "<form" in page and "<html" not in page
    assert "Enter a valid URL" in page
    response = client.post(CREATE, {**NEW, "source_title": ""})
    assert response.status_code == 200 and "Choose a source or enter a new citation." in response.content.decode()
    response = client.post(CREATE, {**NEW, "period_start": "2024-12-31", "period_end": "2024-01-01"})
    assert "The period cannot end before it starts." in response.content.decode()
    assert not ExternalStatistic.objects.exists() and not Source.objects.exists()


def test_editing_writes_only_what_changed(client, analyst, statistic):
    sign_in(client, analyst)
    url = reverse("reports:figure_edit", args=[statistic.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {name: "" if value is None else str(value) for name, value in data.items()}
    response = client.post(url, {**data, "value": "48805"}, headers=HTMX)
    assert response.status_code == 200 and response["HX-Redirect"].startswith(LIST)
    statistic.refresh_from_db()
    assert statistic.value == Decimal("48805") and statistic.qualifier == "about"
    assert AuditEntry.objects.get(action="external_statistic.update").changed_fields == ["value"]
    response = client.post(url, {**data, "value": "48805", "source_title": "Correction", "source_reliability": "low"})
    assert response.status_code == 302
    statistic.refresh_from_db()
    assert statistic.source.title == "Correction" and statistic.source.reliability == "low"


def test_delete_asks_then_deletes(client, analyst, statistic):
    sign_in(client, analyst)
    url = reverse("reports:figure_delete", args=[statistic.pk])
    page = client.get(url).content.decode()
    assert "by_refuge_lt_2023" in page and ExternalStatistic.objects.exists()
    assert client.post(url).status_code == 302
    assert not ExternalStatistic.objects.exists()
    assert AuditEntry.objects.filter(action="external_statistic.delete", target_id=str(statistic.pk)).exists()


def test_readers_may_not_write_and_outsiders_see_nothing(client, caseworker, outsider, statistic):
    sign_in(client, caseworker)
    assert client.get(reverse("reports:figure_edit", args=[statistic.pk])).status_code == 403
    assert client.post(reverse("reports:figure_delete", args=[statistic.pk])).status_code == 403
    assert client.post(CREATE, NEW).status_code == 403
    sign_in(client, outsider)
    assert client.get(reverse("reports:figure_edit", args=[statistic.pk])).status_code == 404
    assert "by_refuge_lt_2023" not in client.get(LIST).content.decode()
    assert ExternalStatistic.objects.count() == 1 and Source.objects.count() == 1


def _naughty() -> list[str]:
    return [text for text in naughty_strings()[::13] if "\x00" not in text]


def test_naughty_strings_round_trip_and_are_escaped(client, analyst, organisation):
    sign_in(client, analyst)
    for number, text in enumerate(_naughty()):
        data = {**NEW, "code": f"naughty-{number}", "label": text, "population": text, "source_title": text}
        response = client.post(CREATE, data)
        written = ExternalStatistic.objects.filter(code=f"naughty-{number}").first()
        if text.strip() and len(text.strip()) <= 200:
            assert response.status_code == 302, (text, response.content.decode()[:300])
            assert written is not None and written.label == written.population == written.source.title == text.strip()
        else:
            assert response.status_code == 200 and written is None
    page = client.get(LIST).content.decode()
    assert "<script>alert" not in page and "<IMG" not in page and "<foo" not in page
