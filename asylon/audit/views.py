"""The auditor's pages: the audit log with filters, the signed checkpoints and their download."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from asylon.accounts.guards import sensitive
from asylon.audit.checkpoints import checkpoint_document
from asylon.audit.forms import EntryFilterForm
from asylon.audit.models import Checkpoint
from asylon.audit.selectors import audit_entries_of, checkpoints_visible_to, organisations_audited_by
from asylon.audit.services import record
from asylon.audit.signing import instance_public_key

PAGE_SIZE = 50


@login_required
@require_GET
def entry_list(request: HttpRequest) -> HttpResponse:
    """The audit log of one organisation the user audits, filtered and paginated."""
    organisations = list(organisations_audited_by(request.user))
    if not organisations:
        raise PermissionDenied
    chosen = request.GET.get("organisation", "")
    organisation = next((org for org in organisations if str(org.pk) == chosen), organisations[0])
    form = EntryFilterForm(request.GET or None)
    entries = audit_entries_of(user=request.user, organisation=organisation, filters=form.entry_filter())
    page = Paginator(entries.select_related("actor"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/entry_list.html",
        {
            "form": form,
            "page": page,
            "organisations": organisations,
            "organisation": organisation,
            "query": query.urlencode(),
        },
    )


@login_required
@require_GET
def checkpoint_list(request: HttpRequest) -> HttpResponse:
    """Signed checkpoints and the public key that verifies them offline."""
    if not organisations_audited_by(request.user).exists():
        raise PermissionDenied
    checkpoints = Paginator(checkpoints_visible_to(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/checkpoint_list.html", {"page": checkpoints, "public_key": instance_public_key()})


@login_required
@require_GET
@sensitive
def checkpoint_download(request: HttpRequest, checkpoint_id: str) -> HttpResponse:
    """One checkpoint as a signed JSON file, after a fresh re-authentication; the download is audited."""
    try:
        checkpoint = checkpoints_visible_to(request.user).get(pk=checkpoint_id)
    except (Checkpoint.DoesNotExist, ValueError) as error:
        raise Http404 from error
    record(actor=request.user, action="audit.checkpoint_download", target=checkpoint)
    body = json.dumps(checkpoint_document(checkpoint, instance_public_key()), indent=2, sort_keys=True)
    response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="asylon-checkpoint-{checkpoint.sequence}.json"'
    return response
