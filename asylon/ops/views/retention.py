"""The retention page of the organisation admin console, /org/<organisation>/retention/ (docs/gdpr.md,
"Retention"): what the daily schedule will erase in this organisation, when it last ran, and a button that
erases it now. Showing it needs no re-authentication (references, dates and counts only); erasing does.
It lives in the ops app with the schedule; the console's own pages are in asylon/orgadmin."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from asylon.accounts.guards import sensitive
from asylon.ops.retention.running import organisation_retention_apply, organisation_retention_preview
from asylon.ops.retention.schedule import expired_case_rows, last_retention_run
from asylon.orgadmin.views import console_context, organisation_or_404

TEMPLATE = "ops/retention/retention.html"


class RetentionApplyForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I understand that these cases, and the persons party to no other case, are erased for good."
        ),
        error_messages={"required": gettext_lazy("Tick the box to confirm the erasure.")},
    )


@login_required
@never_cache
@sensitive(allow_get=True)
@require_http_methods(["GET", "POST"])
def retention_page(request: HttpRequest, organisation: str) -> HttpResponse:
    """What the schedule will erase (GET); erase it now (POST, re-authenticated and confirmed)."""
    org = organisation_or_404(request, organisation)
    form = RetentionApplyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        done = organisation_retention_apply(actor=request.user, organisation=org)
        if done.failed_case_ids:
            messages.warning(
                request,
                _("%(failed)s cases could not be erased; the daily run will try them again.")
                % {"failed": len(done.failed_case_ids)},
            )
        messages.success(
            request,
            _("%(cases)s closed cases and %(persons)s persons were erased.")
            % {"cases": done.erased_cases, "persons": done.erased_persons},
        )
        return redirect(reverse("ops:retention", args=[org.slug]))
    preview = organisation_retention_preview(actor=request.user, organisation=org)
    context = console_context(
        org,
        title=_("Retention in %(name)s") % {"name": org.name},
        plan=preview.closed[0],
        intake=preview.intake[0],
        rows=expired_case_rows(organisation=org, today=timezone.localdate(preview.now)),
        last_run=last_retention_run(organisation=org),
        form=form,
    )
    return render(request, TEMPLATE, context)


urlpatterns = [path("org/<slug:organisation>/retention/", retention_page, name="retention")]
