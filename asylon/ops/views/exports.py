"""Pages of /exports/: the export form, and its answer, the encrypted file as a download.

The page asks for a fresh re-authentication before it is shown (`sensitive`, GET included). A POST
whose re-authentication has lapsed meanwhile is sent back to the page rather than to allauth's
re-authentication: allauth would keep the suspended POST, passphrase included, in the session to
replay it afterwards, and a secret has no business in the session store.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from asylon.accounts.guards import sensitive, still_reauthenticated
from asylon.cases.models import Case
from asylon.cases.selectors import case_get
from asylon.common.form_pages import add_service_errors
from asylon.ops.forms.exports import ExportForm
from asylon.ops.selectors_exports import export_organisations
from asylon.ops.services.exports import export_create

TEMPLATE = "ops/exports/export_form.html"


def _case_named(request: HttpRequest) -> Case | None:
    """The case a single-case export names (the case page links here with ?case=), if the user may open it."""
    value = request.POST.get("case") if request.method == "POST" else request.GET.get("case")
    if not value:
        return None
    try:
        return case_get(user=request.user, case_id=value)
    except (Case.DoesNotExist, ValidationError, ValueError):
        return None


@login_required
@never_cache
def export_page(request: HttpRequest) -> HttpResponse:
    """The export form (GET), and the encrypted file (POST); re-authentication first."""
    if request.method == "POST" and not still_reauthenticated(request):
        messages.info(request, _("Please confirm it is you again, then fill in the export form once more."))
        return redirect(request.get_full_path())
    return _export(request)


@sensitive
def _export(request: HttpRequest) -> HttpResponse:
    organisations = export_organisations(request.user)
    if not organisations:
        raise PermissionDenied("ops.export")
    case = _case_named(request)
    initial: dict[str, Any] = {"case": case.pk, "organisation": case.organisation_id} if case else {}
    form = ExportForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        organisations=organisations,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            exported = export_create(actor=request.user, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied:
            form.add_error("export_format", _("You may not export in this format from this organisation."))
        else:
            response = HttpResponse(exported.content, content_type="application/octet-stream")
            response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
            response["Cache-Control"] = "no-store"
            return response
    return render(request, TEMPLATE, {"form": form, "case": case})


urlpatterns = [path("exports/", export_page, name="export")]
