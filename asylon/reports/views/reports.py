"""Report pages under /reports/: list, write, preview, download, and saved versions with what changed.

Every page works without JavaScript. Reading needs "reports.view_statistics" in the report's
organisation, writing "reports.change_report". Building a report releases its figures through
disclosure control (the engine does), so a preview or a download shows only published values.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from asylon.accounts.selectors import organisations_for
from asylon.common.form_pages import form_page, found_or_404, render_form, require_or_403
from asylon.reports.downloads import FORMATS, report_file
from asylon.reports.forms.confirm import DeleteForm
from asylon.reports.forms.reports import ReportCreateForm, ReportForm
from asylon.reports.models import Report
from asylon.reports.reporting.engine import report_html_page
from asylon.reports.reporting.html import report_html
from asylon.reports.selectors.reports import (
    READ,
    report_get,
    reports_of,
    version_before,
    version_get,
    versions_of,
)
from asylon.reports.services.reports import (
    CHANGE,
    build,
    report_build,
    report_create,
    report_delete,
    report_update,
    report_version_save,
)
from asylon.reports.versions import figures_changed


def report_url(report: Report) -> str:
    return reverse("reports:report_detail", args=[report.pk])


def _errors(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


@login_required
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    """The reports of every organisation where the user may read statistics."""
    if not organisations_for(request.user, READ):
        raise PermissionDenied("reports.view_statistics")
    return render(
        request,
        "reports/report_list.html",
        {
            "reports": reports_of(user=request.user),
            "may_create": bool(organisations_for(request.user, CHANGE)),
            "several": len(organisations_for(request.user, READ)) > 1,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_create_view(request: HttpRequest) -> HttpResponse:
    """Start a report in one of the organisations where the user may write reports."""
    organisations = organisations_for(request.user, CHANGE)
    if not organisations:
        raise PermissionDenied(CHANGE)
    form = ReportCreateForm(request.POST or None, organisations=organisations)
    return form_page(
        request,
        form=form,
        save=lambda data: report_create(actor=request.user, **data),
        success_url=lambda report: reverse("reports:report_edit", args=[report.pk]),
        template="reports/report_form.html",
        context={"title": _("New report"), "cancel_url": reverse("reports:report_list")},
    )


@login_required
@require_GET
def report_detail(request: HttpRequest, report_id: str) -> HttpResponse:
    """The report built now, as HTML, with its downloads and versions."""
    report = found_or_404(report_get, user=request.user, report_id=report_id)
    built = report_build(actor=request.user, report=report)
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "page": report_html_page(built),  # a SafeString, sanitised by the engine (nh3)
            "may_download": not built.errors,
            "formats": list(FORMATS),
            "may_change": request.user.has_perm(CHANGE, report.organisation),
            "latest": versions_of(user=request.user, report=report).first(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_delete_view(request: HttpRequest, report_id: str) -> HttpResponse:
    """Ask, then delete a report and its saved versions (the audit keeps that it existed)."""
    report = found_or_404(report_get, user=request.user, report_id=report_id)
    require_or_403(request.user, CHANGE, report.organisation)
    return form_page(
        request,
        form=DeleteForm(request.POST if request.method == "POST" else None),  # an empty POST confirms
        save=lambda data: report_delete(actor=request.user, report=report),
        success_url=lambda result: reverse("reports:report_list"),
        context={
            "title": _("Delete the report “%(title)s” and its saved versions?") % {"title": report.title},
            "submit_label": _("Delete"),
            "cancel_url": report_url(report),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, report_id: str) -> HttpResponse:
    """Change a report's text; the Preview button builds the text as typed without saving it."""
    report = found_or_404(report_get, user=request.user, report_id=report_id)
    require_or_403(request.user, CHANGE, report.organisation)
    initial = {"title": report.title, "slug": report.slug, "body": report.body}
    form = ReportForm(request.POST or None, initial=initial)
    context: dict[str, Any] = {
        "title": _("Edit report"),
        "report": report,
        "cancel_url": report_url(report),
    }
    if request.method == "POST" and "preview" in request.POST:
        if form.is_valid():
            draft = Report(
                organisation=report.organisation, title=form.cleaned_data["title"], body=form.cleaned_data["body"]
            )
            context["preview"] = report_html_page(report_build(actor=request.user, report=draft))
        return render_form(request, "reports/report_form.html", {**context, "form": form})

    def save(data: dict[str, Any]) -> Report:
        changes = {name: data[name] for name in form.changed_data if name in data}
        return report_update(actor=request.user, report=report, **changes) if changes else report

    return form_page(
        request,
        form=form,
        save=save,
        success_url=report_url,
        template="reports/report_form.html",
        context=context,
    )


@login_required
@require_GET
def report_download(request: HttpRequest, report_id: str, extension: str) -> HttpResponse:
    """The report built now, as a PDF, Word, Markdown or HTML file."""
    report = found_or_404(report_get, user=request.user, report_id=report_id)
    try:
        built = build(actor=request.user, report=report)
    except ValidationError as error:
        context = {"report": report, "errors": _errors(error)}
        return render(request, "reports/report_refused.html", context, status=409)
    content = report_file(built, extension)
    response = HttpResponse(content, content_type=FORMATS[extension].content_type)
    response["Content-Disposition"] = f'attachment; filename="{report.slug or "report"}.{extension}"'
    patch_cache_control(response, private=True, no_store=True)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def report_versions(request: HttpRequest, report_id: str) -> HttpResponse:
    """The saved versions of a report; POST builds the report now and saves it as the next version."""
    report = found_or_404(report_get, user=request.user, report_id=report_id)
    errors: list[str] = []
    if request.method == "POST":
        require_or_403(request.user, CHANGE, report.organisation)
        try:
            version = report_version_save(actor=request.user, report=report)
        except ValidationError as error:
            errors = _errors(error)
        else:
            return redirect("reports:version_detail", version_id=version.pk)
    return render(
        request,
        "reports/version_list.html",
        {
            "report": report,
            "versions": versions_of(user=request.user, report=report),
            "errors": errors,
            "may_change": request.user.has_perm(CHANGE, report.organisation),
        },
    )


@login_required
@require_GET
def version_detail(request: HttpRequest, version_id: str) -> HttpResponse:
    """A saved version as it was, and which figures changed since the version before it."""
    version = found_or_404(version_get, user=request.user, version_id=version_id)
    previous = version_before(version)
    return render(
        request,
        "reports/version_detail.html",
        {
            "report": version.report,
            "version": version,
            "previous": previous,
            "changes": figures_changed(previous.figures, version.figures) if previous else None,
            # The saved final Markdown as sanitised HTML (its charts were saved as their data tables).
            # nh3 sanitises report_html's output.
            "html": mark_safe(report_html(version.body, charts=[], nonce=secrets.token_hex(8))),  # noqa: S308  # nosec
        },
    )


urlpatterns = [
    path("reports/", report_list, name="report_list"),
    path("reports/new/", report_create_view, name="report_create"),
    path("reports/<uuid:report_id>/", report_detail, name="report_detail"),
    path("reports/<uuid:report_id>/edit/", report_edit, name="report_edit"),
    path("reports/<uuid:report_id>/delete/", report_delete_view, name="report_delete"),
    *(
        path(
            f"reports/<uuid:report_id>/report.{extension}",
            report_download,
            {"extension": extension},
            name=f"report_{extension}",
        )
        for extension in FORMATS
    ),
    path("reports/<uuid:report_id>/versions/", report_versions, name="report_versions"),
    path("reports/versions/<uuid:version_id>/", version_detail, name="version_detail"),
]
