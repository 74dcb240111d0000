"""Outside figures under /reports/figures/: the registry of cited statistics, with add, edit and delete.

Reading needs "reports.view_statistics" in the organisation, writing "reports.change_report". Every
page works without JavaScript; with htmx the forms answer with the form only.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from asylon.accounts.models import Organisation
from asylon.accounts.selectors import organisations_for
from asylon.common.form_pages import changed_fields, form_page, found_or_404, require_or_403
from asylon.reports.citations import citation_text, figure_text
from asylon.reports.forms.confirm import DeleteForm
from asylon.reports.forms.figures import ExternalStatisticForm, statistic_arguments
from asylon.reports.models import ExternalStatistic
from asylon.reports.selectors.external_statistics import (
    external_statistic_find,
    external_statistics_of,
    sources_of,
)
from asylon.reports.services.external_statistics import (
    CHANGE_REPORT,
    external_statistic_create,
    external_statistic_delete,
    external_statistic_update,
)


def figures_url(organisation: Organisation | None = None) -> str:
    url = reverse("reports:figure_list")
    return f"{url}?organisation={organisation.pk}" if organisation is not None else url


def _organisation(request: HttpRequest, permission: str) -> tuple[Organisation, list[Organisation]]:
    """The organisation the page is about (?organisation=, else the first) among those where the user may."""
    organisations = organisations_for(request.user, permission)
    if not organisations:
        raise PermissionDenied(permission)
    chosen = request.GET.get("organisation", "")
    return next((org for org in organisations if str(org.pk) == chosen), organisations[0]), organisations


@login_required
@require_GET
def figure_list(request: HttpRequest) -> HttpResponse:
    """The organisation's outside figures, each as stated and with its citation."""
    organisation, organisations = _organisation(request, "reports.view_statistics")
    figures = [
        {"statistic": statistic, "figure": figure_text(statistic), "citation": citation_text(statistic)}
        for statistic in external_statistics_of(organisation=organisation)
    ]
    return render(
        request,
        "reports/figure_list.html",
        {
            "organisation": organisation,
            "organisations": organisations if len(organisations) > 1 else [],
            "figures": figures,
            "may_change": request.user.has_perm(CHANGE_REPORT, organisation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def figure_create(request: HttpRequest) -> HttpResponse:
    """Register an outside figure, citing a recorded source or a new one."""
    organisation, _organisations = _organisation(request, CHANGE_REPORT)
    form = ExternalStatisticForm(request.POST or None, sources=sources_of(organisation=organisation))
    return form_page(
        request,
        form=form,
        save=lambda data: external_statistic_create(
            actor=request.user, organisation=organisation, **statistic_arguments(data)
        ),
        success_url=lambda statistic: figures_url(organisation),
        context={"title": _("Add an outside figure"), "cancel_url": figures_url(organisation)},
    )


def _statistic(request: HttpRequest, statistic_id: str) -> ExternalStatistic:
    statistic: ExternalStatistic = found_or_404(external_statistic_find, user=request.user, statistic_id=statistic_id)
    require_or_403(request.user, CHANGE_REPORT, statistic.organisation)
    return statistic


EDITABLE = ("code", "label", "value", "qualifier", "unit", "period_start", "period_end", "population", "source")


@login_required
@require_http_methods(["GET", "POST"])
def figure_edit(request: HttpRequest, statistic_id: str) -> HttpResponse:
    """Correct an outside figure; only the fields changed are written."""
    statistic = _statistic(request, statistic_id)
    initial: dict[str, Any] = {name: getattr(statistic, name) for name in EDITABLE}
    form = ExternalStatisticForm(
        request.POST or None, initial=initial, sources=sources_of(organisation=statistic.organisation)
    )

    def save(data: dict[str, Any]) -> ExternalStatistic:
        arguments = statistic_arguments(data, changed=list(changed_fields(form, data)))
        return (
            external_statistic_update(actor=request.user, statistic=statistic, **arguments) if arguments else statistic
        )

    return form_page(
        request,
        form=form,
        save=save,
        success_url=lambda saved: figures_url(statistic.organisation),
        context={
            "title": _("Edit the outside figure %(code)s") % {"code": statistic.code},
            "cancel_url": figures_url(statistic.organisation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def figure_delete(request: HttpRequest, statistic_id: str) -> HttpResponse:
    """Ask, then remove an outside figure from the registry (reports citing its code will say it is missing)."""
    statistic = _statistic(request, statistic_id)
    organisation = statistic.organisation
    return form_page(
        request,
        form=DeleteForm(request.POST if request.method == "POST" else None),  # an empty POST confirms
        save=lambda data: external_statistic_delete(actor=request.user, statistic=statistic),
        success_url=lambda result: figures_url(organisation),
        context={
            "title": _("Delete the outside figure %(code)s?") % {"code": statistic.code},
            "submit_label": DELETE_LABEL,
            "cancel_url": figures_url(organisation),
        },
    )


DELETE_LABEL = gettext_lazy("Delete")

urlpatterns = [
    path("reports/figures/", figure_list, name="figure_list"),
    path("reports/figures/new/", figure_create, name="figure_create"),
    path("reports/figures/<uuid:statistic_id>/edit/", figure_edit, name="figure_edit"),
    path("reports/figures/<uuid:statistic_id>/delete/", figure_delete, name="figure_delete"),
]
