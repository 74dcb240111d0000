"""Pages of /imports/: upload a spreadsheet, map its columns, check it (a dry run listing every problem by
row, column and reason), then import all rows or only the valid ones; saved mapping profiles.

Every page works without JavaScript; htmx only refreshes the progress of a running check or import.
Each action calls one service of asylon/ops/services/imports.py, which authorises and audits; the
reads go through asylon/ops/selectors.py. Sample values of the file are shown on the mapping page only.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRefresh

from asylon.accounts.models import Organisation
from asylon.accounts.selectors import organisations_for
from asylon.common.form_pages import add_service_errors, form_page, found_or_404, saved
from asylon.evidence.uploads import BoundedMemoryUploadHandler
from asylon.ops.forms.imports import ImportCommitForm, ImportMappingForm, ImportOrganisationForm, ImportUploadForm
from asylon.ops.imports.sources import limits
from asylon.ops.models import ImportMode, ImportProfile, ImportRun, ImportStatus
from asylon.ops.selectors import (
    import_error_file,
    import_preview,
    import_profiles_of,
    import_progress,
    import_report,
    import_run_get,
    import_runs_of,
)
from asylon.ops.services.import_profiles import import_profile_delete
from asylon.ops.services.imports import (
    import_check_start,
    import_commit_start,
    import_discard,
    import_map,
    import_upload,
)
from asylon.people.selectors import persons_visible_to
from asylon.reports.forms.confirm import DeleteForm

IMPORT = "ops.import_records"
RUNS_PER_PAGE = 25
PROBLEMS_PER_PAGE = 50
# A run in one of these states is being worked on by the background task: its page shows progress.
RUNNING = (ImportStatus.CHECKING, ImportStatus.IMPORTING)
# The mapping can be chosen (again) until the import starts.
MAPPABLE = (ImportStatus.UPLOADED, ImportStatus.CHECKED)


def run_url(run: ImportRun) -> str:
    return reverse("ops:import_detail", args=[run.pk])


def _organisations(request: HttpRequest) -> list[Organisation]:
    """The organisations the user may import into; PermissionDenied when none."""
    organisations = organisations_for(request.user, IMPORT)
    if not organisations:
        raise PermissionDenied(IMPORT)
    return organisations


def _run(request: HttpRequest, run_id: str) -> ImportRun:
    """The run, when the user may import into its organisation (404 otherwise)."""
    return found_or_404(import_run_get, user=request.user, run_id=run_id)


def _chosen(request: HttpRequest, organisations: list[Organisation]) -> tuple[ImportOrganisationForm, Organisation]:
    """The organisation the page is about: ?organisation= when it is one of the user's, else the first."""
    form = ImportOrganisationForm(request.GET or None, organisations=organisations)
    chosen = form.cleaned_data["organisation"] if form.is_bound and form.is_valid() else None
    organisation = next((org for org in organisations if chosen and org.pk == chosen.pk), organisations[0])
    if not form.is_bound:
        form = ImportOrganisationForm(initial={"organisation": organisation}, organisations=organisations)
    return form, organisation


@csrf_exempt  # only to set the upload handler before the body is read; checked below by csrf_protect
@login_required
@require_http_methods(["GET", "POST"])
def import_list(request: HttpRequest) -> HttpResponse:
    """The organisation's import runs, newest first, its saved profiles, and the upload form."""
    # The spreadsheet stays in memory (never a clear temporary file) and stops growing past the limit.
    request.upload_handlers = [BoundedMemoryUploadHandler(request, limit=limits().upload_bytes)]
    return _import_list(request)


@csrf_protect
def _import_list(request: HttpRequest) -> HttpResponse:
    organisations = _organisations(request)
    choice, organisation = _chosen(request, organisations)
    form = ImportUploadForm(
        request.POST or None,
        request.FILES or None,
        initial={"organisation": organisation},
        organisations=organisations,
    )
    runs = Paginator(import_runs_of(user=request.user, organisation=organisation), RUNS_PER_PAGE)
    return form_page(
        request,
        form=form,
        save=lambda data: import_upload(actor=request.user, **data),
        success_url=lambda run: reverse("ops:import_map", args=[run.pk]),
        template="ops/imports/import_list.html",
        context={
            "choice": choice,
            "several": len(organisations) > 1,
            "organisation": organisation,
            "runs": runs.get_page(request.GET.get("page")),
            "profiles": import_profiles_of(user=request.user, organisation=organisation),
        },
    )


def _profile_chosen(request: HttpRequest, profiles: list[ImportProfile]) -> ImportProfile | None:
    wanted = request.GET.get("profile", "")
    return next((profile for profile in profiles if str(profile.pk) == wanted), None)


@login_required
@require_http_methods(["GET", "POST"])
def import_map_view(request: HttpRequest, run_id: str) -> HttpResponse:
    """Choose a target for each column (suggested from the headers, or from a saved profile), the date
    order and optionally a profile name; saving starts the check."""
    run = _run(request, run_id)
    if run.status not in MAPPABLE:
        return redirect(run_url(run))
    preview = import_preview(user=request.user, run=run)
    profiles = list(import_profiles_of(user=request.user, organisation=run.organisation))
    profile = _profile_chosen(request, profiles)
    if profile is not None:
        mapping, options = profile.mapping, profile.options
    elif run.mapping:
        mapping, options = run.mapping, run.options
    else:
        mapping, options = preview.suggested_mapping, {}
    form = ImportMappingForm(
        request.POST or None,
        headers=preview.headers,
        samples=[["" if cell is None else str(cell) for cell in row] for row in preview.sample_rows],
        mapping=mapping,
        date_order=str(options.get("date_order", "")),
    )

    def save(data: dict[str, Any]) -> ImportRun:
        mapped = import_map(
            actor=request.user,
            run=run,
            mapping=form.mapping(),
            options=form.options(),
            save_profile_as=data["save_profile_as"],
        )
        return import_check_start(actor=request.user, run=mapped)

    return form_page(
        request,
        form=form,
        save=save,
        success_url=run_url,
        template="ops/imports/import_map.html",
        context={"run": run, "profiles": profiles, "profile": profile},
    )


def _report_context(request: HttpRequest, run: ImportRun) -> dict[str, Any]:
    """What the check or the import found: counts per kind, a page of problems, duplicate candidates."""
    report = import_report(user=request.user, run=run)
    written = bool(report.get("written"))
    duplicates = report.get("duplicates", [])
    visible = {
        str(pk)
        for pk in persons_visible_to(request.user)
        .filter(pk__in=[duplicate["person_id"] for duplicate in duplicates])
        .values_list("pk", flat=True)
    }
    kinds = ("person", "case", "event")
    created = report.get("create" if written else "would_create", {})
    updated = report.get("update" if written else "would_update", {})
    unchanged = report.get("unchanged", {})
    return {
        "report": report,
        "written": written,
        "counts": [
            {
                "kind": kind,
                "created": created.get(kind, 0),
                "updated": updated.get(kind, 0),
                "unchanged": unchanged.get(kind, 0),
            }
            for kind in kinds
        ],
        "problems": Paginator(report.get("problems", []), PROBLEMS_PER_PAGE).get_page(request.GET.get("page")),
        "new_cases": created.get("case", 0),
        "rows_with_problems": len({problem["row"] for problem in report.get("problems", [])}),
        "duplicates": [{**duplicate, "visible": duplicate["person_id"] in visible} for duplicate in duplicates],
    }


def _detail(request: HttpRequest, run: ImportRun, commit_form: ImportCommitForm, status: int = 200) -> HttpResponse:
    context: dict[str, Any] = {
        "run": run,
        "running": run.status in RUNNING,
        "may_map": run.status == ImportStatus.CHECKED,
        "may_import": run.status == ImportStatus.CHECKED,
        "may_discard": run.status in (ImportStatus.UPLOADED, ImportStatus.CHECKED, ImportStatus.FAILED) or run.stalled,
        "may_delete_errors": run.status == ImportStatus.DONE and run.error_file_stored,
        "form": commit_form,
        "modes": ImportMode,
    }
    if run.status in RUNNING:
        context["done"], context["total"] = import_progress(run=run)
    elif run.status in (ImportStatus.CHECKED, ImportStatus.DONE, ImportStatus.FAILED):
        context.update(_report_context(request, run))
    return render(request, "ops/imports/import_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def import_detail(request: HttpRequest, run_id: str) -> HttpResponse:
    """A run's state: progress while it runs, then what the check or the import found. POST imports
    (mode "all" or "valid_only") a checked run."""
    run = _run(request, run_id)
    if getattr(request, "htmx", False) and request.method == "GET":
        # The progress poll: the progress alone while the task runs, then the whole page once it ends.
        if run.status not in RUNNING:
            return HttpResponseClientRefresh()
        done, total = import_progress(run=run)
        return render(request, "ops/imports/import_detail.html#progress", {"run": run, "done": done, "total": total})
    if request.method == "POST":
        form = ImportCommitForm(request.POST)
        if form.is_valid():
            try:
                run = import_commit_start(actor=request.user, run=run, mode=form.cleaned_data["mode"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return saved(request, run_url(run))
        return _detail(request, run, form, status=400)
    return _detail(request, run, ImportCommitForm())


@login_required
@require_http_methods(["GET", "POST"])
def import_discard_view(request: HttpRequest, run_id: str) -> HttpResponse:
    """Ask, then discard a run that was not imported (its file is deleted), or delete the error file of one
    that was (the same service: it deletes whatever file the run still holds)."""
    run = _run(request, run_id)
    if run.status == ImportStatus.DONE:
        title = _("Delete the error file of this import? The rows it holds were not imported.")
    else:
        title = _("Discard this import? Its file is deleted and nothing is imported.")
    return form_page(
        request,
        form=DeleteForm(request.POST if request.method == "POST" else None),  # an empty POST confirms
        save=lambda data: import_discard(actor=request.user, run=run),
        success_url=lambda result: run_url(run),
        context={
            "title": title,
            "submit_label": pgettext("import run", "Discard"),
            "cancel_url": run_url(run),
        },
    )


@login_required
@require_GET
def import_errors_csv(request: HttpRequest, run_id: str) -> HttpResponse:
    """The rows an import left out, with their columns as uploaded and the reason (CSV)."""
    run = _run(request, run_id)
    if not run.error_file_stored:
        raise Http404
    content = import_error_file(user=request.user, run=run)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="import-errors.csv"'
    patch_cache_control(response, private=True, no_store=True)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _profile_get(request: HttpRequest, profile_id: str) -> ImportProfile:
    for organisation in organisations_for(request.user, IMPORT):
        profile = import_profiles_of(user=request.user, organisation=organisation).filter(pk=profile_id).first()
        if profile is not None:
            return profile
    raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def import_profile_delete_view(request: HttpRequest, profile_id: str) -> HttpResponse:
    """Ask, then delete a saved mapping profile (runs that used it keep their own mapping)."""
    profile = _profile_get(request, profile_id)
    back = f"{reverse('ops:import_list')}?organisation={profile.organisation_id}"
    return form_page(
        request,
        form=DeleteForm(request.POST if request.method == "POST" else None),  # an empty POST confirms
        save=lambda data: import_profile_delete(actor=request.user, profile=profile),
        success_url=lambda result: back,
        context={
            "title": _("Delete the mapping profile “%(name)s”?") % {"name": profile.name},
            "submit_label": _("Delete"),
            "cancel_url": back,
        },
    )


urlpatterns = [
    path("imports/", import_list, name="import_list"),
    path("imports/<uuid:run_id>/", import_detail, name="import_detail"),
    path("imports/<uuid:run_id>/map/", import_map_view, name="import_map"),
    path("imports/<uuid:run_id>/discard/", import_discard_view, name="import_discard"),
    path("imports/<uuid:run_id>/errors.csv", import_errors_csv, name="import_errors"),
    path("imports/profiles/<uuid:profile_id>/delete/", import_profile_delete_view, name="import_profile_delete"),
]
