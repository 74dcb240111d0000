"""Adding case notes and correcting one's own; privileged notes are for the case's lawyers."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from asylon.accounts.clearance import redacted
from asylon.cases.forms.notes import NoteEditForm, NoteForm
from asylon.cases.selectors import case_get, note_of_case
from asylon.cases.services.notes import note_add, note_update
from asylon.cases.views.links import case_url
from asylon.common.form_pages import form_page, found_or_404, require_or_403

TEMPLATE = "cases/note_form.html"


@login_required
@require_http_methods(["GET", "POST"])
def note_add_view(request: HttpRequest, case_id: str) -> HttpResponse:
    """Add a note to a case; lawyers may mark it privileged."""
    case = found_or_404(case_get, user=request.user, case_id=case_id)
    require_or_403(request.user, "cases.change_note", case)
    may_privilege = request.user.has_perm("cases.add_privileged_note", case)
    form = NoteForm(request.POST or None, may_privilege=may_privilege)
    return form_page(
        request,
        form=form,
        template=TEMPLATE,
        save=lambda data: note_add(actor=request.user, case=case, **data),
        success_url=lambda _note: case_url(case),
        context={
            "title": _("Add a note to case %(reference)s") % {"reference": case.reference},
            "cancel_url": case_url(case),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def note_edit(request: HttpRequest, case_id: str, note_id: str) -> HttpResponse:
    """Correct a note; only its author may, so anyone else is refused before the form is shown."""
    case = found_or_404(case_get, user=request.user, case_id=case_id)
    note = found_or_404(note_of_case, user=request.user, case=case, note_id=note_id)
    require_or_403(request.user, "cases.add_privileged_note" if note.privileged else "cases.change_note", case)
    if note.author_id != request.user.pk:
        raise PermissionDenied("only the author changes a note")
    form = NoteEditForm(request.POST or None, initial={"body": redacted(request.user, note).body or ""})
    return form_page(
        request,
        form=form,
        template=TEMPLATE,
        save=lambda data: note_update(actor=request.user, note=note, **data),
        success_url=lambda _note: case_url(case),
        context={
            "title": _("Edit your note on case %(reference)s") % {"reference": case.reference},
            "cancel_url": case_url(case),
            "privileged": note.privileged,
        },
    )


urlpatterns = [
    path("<uuid:case_id>/notes/new/", note_add_view, name="note_add"),
    path("<uuid:case_id>/notes/<uuid:note_id>/edit/", note_edit, name="note_edit"),
]
