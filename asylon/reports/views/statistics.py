"""The statistics pages under /statistics/: the key aggregates as charts with their data tables, a CSV
per aggregate and the open-data package, filtered by period and citizenship.

Plain GET forms and inline SVG: no JavaScript. Every figure comes from statistics_release, which
authorises, applies disclosure control and records the release; a refused or malformed question
is a message in the aggregate's place, never an error page.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from asylon.accounts.models import Organisation
from asylon.accounts.selectors import organisations_for
from asylon.reports.charts import chart_svg
from asylon.reports.exports import table_csv
from asylon.reports.forms.statistics import ROUND_KEY, StatisticsFilterForm
from asylon.reports.labels import Grid, grid, question_in_words
from asylon.reports.opendata import Aggregate, open_data_zip
from asylon.reports.selectors.reports import READ
from asylon.reports.services.statistics import DisclosureRefused, statistics_release
from asylon.reports.statistics.aggregates import QuestionError, question_from_params
from asylon.reports.statistics.catalogue import BY_SLUG, ENTRIES, Entry
from asylon.reports.statistics.tables import ProtectedTable

REFUSALS = (QuestionError, DisclosureRefused)


@dataclasses.dataclass(frozen=True)
class Panel:
    """One aggregate on the page: its chart and data lines, or the message saying why it is not shown."""

    entry: Entry
    table: ProtectedTable | None = None
    chart: SafeString | None = None
    caption: str = ""
    grid: Grid | None = None
    message: str = ""


def _scope(request: HttpRequest) -> tuple[StatisticsFilterForm, Organisation, dict[str, str]]:
    """The filter form, the organisation whose records are counted, and the question filters.
    PermissionDenied where the user may read no organisation's statistics."""
    organisations = organisations_for(request.user, READ)
    if not organisations:
        raise PermissionDenied("reports.view_statistics")
    form = StatisticsFilterForm(request.GET or None, organisations=organisations)
    valid = form.is_valid()
    chosen = form.cleaned_data.get("organisation") if valid else None
    organisation = next((org for org in organisations if chosen and org.pk == chosen.pk), organisations[0])
    return form, organisation, form.question_filters() if valid else {}


def _release(request: HttpRequest, organisation: Organisation, entry: Entry, filters: dict[str, str]) -> ProtectedTable:
    """The entry's table through disclosure control (raises QuestionError or DisclosureRefused)."""
    params = dict(filters)
    rounding = params.pop(ROUND_KEY, None)
    question = question_from_params(entry.question_params(params))
    return statistics_release(
        actor=request.user,
        organisation=organisation,
        question=question,
        rounding_base=int(rounding) if rounding else None,
    )


def _panel(request: HttpRequest, organisation: Organisation, entry: Entry, filters: dict[str, str]) -> Panel:
    try:
        table = _release(request, organisation, entry, filters)
    except REFUSALS as refusal:
        return Panel(entry=entry, message=str(refusal))
    return Panel(
        entry=entry,
        table=table,
        # Our own SVG; its labels are escaped by ElementTree.
        chart=mark_safe(chart_svg(table, title=str(entry.title))),  # noqa: S308  # nosec B308 B703
        caption=question_in_words(table),
        grid=grid(table),
    )


@login_required
@require_GET
def statistics_page(request: HttpRequest) -> HttpResponse:
    """The key aggregates, each a chart with its data table and a CSV download."""
    form, organisation, filters = _scope(request)
    if form.is_bound and not form.is_valid():
        context: dict[str, Any] = {"form": form, "organisation": organisation, "panels": [], "query": ""}
        return render(request, "reports/statistics.html", context, status=400)
    query = request.GET.urlencode()
    panels = [_panel(request, organisation, entry, filters) for entry in ENTRIES]
    context = {"form": form, "organisation": organisation, "panels": panels, "query": query}
    return render(request, "reports/statistics.html", context)


@login_required
@require_GET
def statistics_csv(request: HttpRequest, aggregate: str) -> HttpResponse:
    """One aggregate as a CSV file (formula-escaped; the question, the rule and the as-of time on top)."""
    entry = BY_SLUG.get(aggregate)
    if entry is None:
        raise Http404
    form, organisation, filters = _scope(request)
    if form.is_bound and not form.is_valid():
        return _refused(request, _("Correct the filters on the statistics page and try again."))
    try:
        table = _release(request, organisation, entry, filters)
    except REFUSALS as refusal:
        return _refused(request, str(refusal))
    # A byte-order mark, so spreadsheet programs read the file as UTF-8 (Cyrillic, Lithuanian).
    response = HttpResponse(
        "\ufeff" + table_csv(table, caption=question_in_words(table)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{entry.slug}.csv"'
    return response


@login_required
@require_GET
def statistics_open_data(request: HttpRequest) -> HttpResponse:
    """The page's aggregates as a Frictionless Data Package (zip); refused aggregates are left out."""
    form, organisation, filters = _scope(request)
    if form.is_bound and not form.is_valid():
        return _refused(request, _("Correct the filters on the statistics page and try again."))
    aggregates = []
    for entry in ENTRIES:
        try:
            table = _release(request, organisation, entry, filters)
        except REFUSALS:
            continue
        aggregates.append(Aggregate(entry.slug, str(entry.title), question_in_words(table), table))
    body = open_data_zip(
        aggregates,
        title=_("Statistics from the case records of %(organisation)s") % {"organisation": organisation.name},
        source=_("Case records of %(organisation)s, kept in Asylon") % {"organisation": organisation.name},
        as_of=timezone.now(),
    )
    response = HttpResponse(body, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="asylon-statistics.zip"'
    return response


def _refused(request: HttpRequest, message: str) -> HttpResponse:
    """A download that cannot be given: the reason, on a page, with the way back."""
    context = {"message": message, "back": reverse("reports:statistics")}
    return render(request, "reports/statistics_refused.html", context, status=400)


urlpatterns = [
    path("statistics/", statistics_page, name="statistics"),
    path("statistics/open-data.zip", statistics_open_data, name="statistics_open_data"),
    path("statistics/<slug:aggregate>.csv", statistics_csv, name="statistics_csv"),
]
