"""Refused requests are audited as `access.denied`, with ids and names only."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory

from asylon.accounts.denials import ACTION, DeniedAccessAuditMiddleware
from asylon.accounts.models import Role
from asylon.audit.models import AuditEntry
from tests.factories import sign_in, staff


def test_a_refused_page_is_audited_with_the_route_and_the_actor(caseworker, organisation):
    client = sign_in(Client(), caseworker)

    response = client.get("/audit/")

    assert response.status_code == 403
    entry = AuditEntry.objects.get(action=ACTION)
    assert entry.actor == caseworker
    assert entry.organisation == organisation
    assert entry.details == {"route": "audit:entry_list", "method": "GET"}


def test_an_allowed_page_writes_no_denial(organisation):
    auditor = staff(organisation, Role.AUDITOR)
    assert sign_in(Client(), auditor).get("/audit/").status_code == 200
    assert not AuditEntry.objects.filter(action=ACTION).exists()


def test_a_service_refusal_names_the_permission_only(caseworker, organisation):
    request = RequestFactory().post("/somewhere/")
    request.user = caseworker
    middleware = DeniedAccessAuditMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]

    assert middleware.process_exception(request, PermissionDenied("cases.change_case")) is None
    assert middleware.process_exception(request, PermissionDenied("Ганна may not see this")) is None

    first, second = AuditEntry.objects.filter(action=ACTION).order_by("sequence")
    assert first.details == {"route": "", "method": "POST", "permission": "cases.change_case"}
    assert "Ганна" not in str(second.details)


def test_anonymous_refusals_are_not_recorded(db):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/x/")
    request.user = AnonymousUser()
    DeniedAccessAuditMiddleware(lambda request: None).process_exception(request, PermissionDenied())  # type: ignore[arg-type,return-value]
    assert not AuditEntry.objects.filter(action=ACTION).exists()
