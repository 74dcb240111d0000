"""The GDPR duties on the person page, for organisation admins, each after a fresh re-authentication:
the subject access export (the encrypted answer as a download) and erasure (a confirmation page that says
what goes with the person). See docs/gdpr.md.

A POST whose re-authentication lapsed meanwhile is sent back to its page rather than to allauth's
re-authentication: allauth would keep the suspended POST (a passphrase, an erasure) in the session to replay it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from asylon.accounts.clearance import redacted
from asylon.accounts.guards import sensitive, still_reauthenticated
from asylon.common.form_pages import add_service_errors, found_or_404, require_or_403
from asylon.people.forms.gdpr import ErasureForm, SubjectAccessForm
from asylon.people.selectors import person_get
from asylon.people.selectors_gdpr import erasure_preview
from asylon.people.services_erasure import person_erase
from asylon.people.services_subject_access import subject_access_export
from asylon.people.views.links import person_url


def _lapsed(request: HttpRequest) -> HttpResponse | None:
    if request.method == "POST" and not still_reauthenticated(request):
        messages.info(request, _("Please confirm it is you again, then fill in the form once more."))
        return redirect(request.get_full_path())
    return None


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def subject_access_page(request: HttpRequest, person_id: str) -> HttpResponse:
    """The subject access form (GET) and the encrypted answer (POST); re-authentication first."""
    return _lapsed(request) or _subject_access(request, person_id)


@sensitive
def _subject_access(request: HttpRequest, person_id: str) -> HttpResponse:
    person = found_or_404(person_get, user=request.user, person_id=person_id)
    require_or_403(request.user, "people.export_subject_access", person)
    form = SubjectAccessForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            exported = subject_access_export(actor=request.user, person=person, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            response = HttpResponse(exported.content, content_type="application/octet-stream")
            response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
            response["Cache-Control"] = "no-store"
            return response
    context = {"form": form, "person": redacted(request.user, person)}
    return render(request, "people/gdpr/subject_access.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def erase_page(request: HttpRequest, person_id: str) -> HttpResponse:
    """What erasing the person takes with it, and the confirmation (POST erases); re-authentication first."""
    return _lapsed(request) or _erase(request, person_id)


@sensitive
def _erase(request: HttpRequest, person_id: str) -> HttpResponse:
    preview = found_or_404(erasure_preview, user=request.user, person_id=person_id)
    person = preview["person"]
    require_or_403(request.user, "people.erase_person", person)
    form = ErasureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            tombstone = person_erase(actor=request.user, person=person, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The person's records were erased. The audit log keeps the erasure under the record %(id)s.")
                % {"id": tombstone.former_person_id},
            )
            return redirect(reverse("people:person_search"))
    context = {
        **preview,
        "form": form,
        "person": redacted(request.user, person),
        "person_url": person_url(person.pk),
    }
    return render(request, "people/gdpr/erase.html", context)


urlpatterns = [
    path("<uuid:person_id>/subject-access/", subject_access_page, name="subject_access"),
    path("<uuid:person_id>/erase/", erase_page, name="person_erase"),
]
