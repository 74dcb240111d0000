"""The printable case summary: a PDF for the person to read and sign."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from asylon.audit import services as audit
from asylon.cases.summary import case_summary
from asylon.common.form_pages import found_or_404
from asylon.common.pdf import render_pdf


@login_required
@require_GET
def case_summary_pdf(request: HttpRequest, case_id: str) -> HttpResponse:
    """The case summary as the user's clearance allows, as a PDF attachment (no notes)."""
    summary = found_or_404(case_summary, user=request.user, case_id=case_id)
    case = summary.pop("case_object")
    pdf = render_pdf("cases/summary_pdf.html", {**summary, "printed_at": timezone.localtime()}, request=request)
    audit.record(actor=request.user, action="case.summary_print", target=case)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="case-summary-{case.pk}.pdf"'
    patch_cache_control(response, private=True, no_store=True)
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    path("<uuid:case_id>/summary.pdf", case_summary_pdf, name="case_summary"),
]
