"""Documents of a case (upload, details with custody, download as an attachment) and public sources."""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Protocol
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from asylon.accounts.clearance import redacted
from asylon.cases.models import Case
from asylon.cases.selectors import case_get, events_of_case
from asylon.cases.views.links import case_url
from asylon.common.form_pages import form_page, found_or_404, require_or_403
from asylon.evidence.forms import DocumentUploadForm, SourceForm
from asylon.evidence.models import Document
from asylon.evidence.selectors import custody_of, document_get, document_person_display, parties_of_case_display
from asylon.evidence.services import document_content, document_store, source_create
from asylon.evidence.uploads import BoundedMemoryUploadHandler

UNSAFE_IN_ASCII_NAME = re.compile(r"[^A-Za-z0-9._()-]+")


def _store_upload(request: HttpRequest, case: Case, data: dict[str, Any]) -> Document:
    upload = data.pop("file")
    try:
        return document_store(
            actor=request.user,
            case=case,
            data=upload.read(),
            filename=upload.name or "",
            content_type=upload.content_type or "",
            **data,
        )
    except ValidationError as error:
        # The service names the file's bytes `data` and its name `filename`; the form has one field for both.
        if hasattr(error, "error_dict"):
            renamed = {"file" if name in ("data", "filename") else name: e for name, e in error.error_dict.items()}
            raise ValidationError(renamed) from error
        raise


@csrf_exempt  # only to set the upload handler before the body is read; checked below by csrf_protect
@login_required
@require_http_methods(["GET", "POST"])
def document_upload(request: HttpRequest, case_id: str) -> HttpResponse:
    """Upload a document to a case the user may write to."""
    request.upload_handlers = [BoundedMemoryUploadHandler(request)]
    return _document_upload(request, case_id)


@csrf_protect
def _document_upload(request: HttpRequest, case_id: str) -> HttpResponse:
    case = found_or_404(case_get, user=request.user, case_id=case_id)
    require_or_403(request.user, "evidence.change_document", case)
    form = DocumentUploadForm(
        request.POST or None,
        request.FILES or None,
        parties=parties_of_case_display(user=request.user, case=case),
        events=events_of_case(user=request.user, case=case),
    )
    return form_page(
        request,
        form=form,
        save=lambda data: _store_upload(request, case, data),
        success_url=lambda document: case_url(case),
        context={
            "title": _("Upload a document to case %(reference)s") % {"reference": case.reference},
            "cancel_url": case_url(case),
            "submit_label": _("Upload"),
        },
    )


@login_required
@require_GET
def document_detail(request: HttpRequest, case_id: str, document_id: str) -> HttpResponse:
    """A document's details as the user's clearance allows, both digests and its chain of custody."""
    document = found_or_404(document_get, user=request.user, case_id=case_id, document_id=document_id)
    return render(
        request,
        "evidence/document_detail.html",
        {
            "case": document.case,
            "document": redacted(request.user, document),
            "event": document.event,
            "person": document_person_display(user=request.user, document=document),
            "custody": custody_of(user=request.user, document=document),
            "may_download": request.user.has_perm("evidence.download_document", document.case),
        },
    )


class StoredFile(Protocol):
    """A file kept encrypted at rest: a case document or a file sent with the help form."""

    @property
    def pk(self) -> Any: ...
    @property
    def filename(self) -> str: ...
    @property
    def content_type(self) -> str: ...


def ascii_filename(name: str, document: StoredFile) -> str:
    """An ASCII stand-in for the file name (for clients that ignore filename*), never empty."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    ascii_name = UNSAFE_IN_ASCII_NAME.sub("_", ascii_name).strip("._")
    stem, dot, extension = ascii_name.rpartition(".")
    if not dot or not stem.strip("_"):
        extension = name.rpartition(".")[2] if "." in name else ""
        extension = UNSAFE_IN_ASCII_NAME.sub("", unicodedata.normalize("NFKD", extension))
        ascii_name = f"document-{str(document.pk)[:8]}" + (f".{extension}" if extension else "")
    return ascii_name


def attachment_disposition(name: str, document: StoredFile) -> str:
    """Content-Disposition: attachment with an ASCII filename and the real one in RFC 5987 filename*."""
    return f"attachment; filename=\"{ascii_filename(name, document)}\"; filename*=UTF-8''{quote(name, safe='')}"


def stored_file_response(data: bytes, stored: StoredFile) -> HttpResponse:
    """A stored file as an attachment: its own content type, never sniffed, never cached."""
    content_type = stored.content_type
    if content_type == "text/plain":
        content_type += "; charset=utf-8"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = attachment_disposition(stored.filename or "", stored)
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def document_download(request: HttpRequest, case_id: str, document_id: str) -> HttpResponse:
    """The document's stored (stripped) content as an attachment; custody and audit record it."""
    document = found_or_404(document_get, user=request.user, case_id=case_id, document_id=document_id)
    try:
        data = document_content(actor=request.user, document=document)
    except ValidationError as error:
        return render(request, "evidence/document_damaged.html", {"case": document.case, "error": error}, status=409)
    return stored_file_response(data, document)


@login_required
@require_http_methods(["GET", "POST"])
def source_add(request: HttpRequest, case_id: str) -> HttpResponse:
    """Record a public source of the case's organisation, optionally cited by one of the case's events."""
    case = found_or_404(case_get, user=request.user, case_id=case_id)
    require_or_403(request.user, "evidence.change_source", case.organisation)
    form = SourceForm(request.POST or None, events=events_of_case(user=request.user, case=case))
    return form_page(
        request,
        form=form,
        save=lambda data: source_create(actor=request.user, organisation=case.organisation, **data),
        success_url=lambda source: case_url(case),
        context={"title": _("Add a source"), "cancel_url": case_url(case)},
    )


urlpatterns = [
    path("<uuid:case_id>/documents/new/", document_upload, name="document_upload"),
    path("<uuid:case_id>/documents/<uuid:document_id>/", document_detail, name="document_detail"),
    path("<uuid:case_id>/documents/<uuid:document_id>/download/", document_download, name="document_download"),
    path("<uuid:case_id>/sources/new/", source_add, name="source_add"),
]
