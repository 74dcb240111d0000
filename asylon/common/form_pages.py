"""How every form page answers: the whole page, or for htmx only the form; a redirect once saved.

Views stay thin: they build the form, hand `form_page` the service call that saves it, and
`form_page` validates, calls the service, maps the service's ValidationError onto the form's
fields (services name errors by their argument, which is the form field's name), and renders.
Without JavaScript the same form posts and re-renders as a whole page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django_htmx.http import HttpResponseClientRedirect

FORM_PARTIAL = "form"
# The page of a form with nothing around it but its title; pages that say more have their own template.
FORM_PAGE = "common/form_page.html"


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Attach a service's validation error to the form field it names, or to the whole form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def render_form(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """The page, or only its `{% partialdef form %}` when htmx asked for it."""
    name = f"{template}#{FORM_PARTIAL}" if getattr(request, "htmx", False) else template
    return render(request, name, context)


def saved(request: HttpRequest, url: str) -> HttpResponse:
    """After a successful save: a normal redirect, or htmx's client-side redirect."""
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return redirect(url)


def form_page(
    request: HttpRequest,
    *,
    form: forms.BaseForm,
    save: Callable[[dict[str, Any]], Any],
    success_url: Callable[[Any], str],
    template: str = FORM_PAGE,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """Show a form; on a valid POST call `save(cleaned_data)` and redirect to `success_url(result)`."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return saved(request, success_url(result))
    return render_form(request, template, {**(context or {}), "form": form})


def changed_fields(form: forms.BaseForm, data: dict[str, Any]) -> dict[str, Any]:
    """Only what the user changed: fields they did not touch (or may not see) are never written."""
    return {name: data[name] for name in form.changed_data if name in data}


def save_changes(form: forms.BaseForm, update: Callable[..., Any], unchanged: Any) -> Callable[[dict[str, Any]], Any]:
    """A `save` for an edit page: `update(**changes)` with only the changed fields, or `unchanged` when none changed."""

    def save(data: dict[str, Any]) -> Any:
        changes = changed_fields(form, data)
        return update(**changes) if changes else unchanged

    return save


def found_or_404(lookup: Callable[..., Any], **kwargs: Any) -> Any:
    """Call a selector that raises DoesNotExist for what the user may not see, and answer 404 instead."""
    try:
        return lookup(**kwargs)
    except ObjectDoesNotExist as missing:
        raise Http404 from missing


def require_or_403(user: Any, permission: str, obj: Any) -> None:
    """Refuse a form page before it is shown when its save would be refused (the service checks again)."""
    if not user.has_perm(permission, obj):
        raise PermissionDenied(permission)
