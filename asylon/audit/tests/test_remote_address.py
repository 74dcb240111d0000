"""Client addresses: X-Forwarded-For only from a trusted proxy, never for the public help pages."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from asylon.audit.middleware import AuditMiddleware
from asylon.audit.models import AuditEntry
from asylon.audit.remote import client_address, is_help_path
from asylon.audit.services import record


def request_from(peer, forwarded=None, path="/cases/"):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get(path, **extra)


def test_direct_peer_is_used_without_trusted_proxies(settings):
    settings.ASYLON_TRUSTED_PROXIES = []
    assert client_address(request_from("203.0.113.5", forwarded="198.51.100.1")) == "203.0.113.5"


def test_forwarded_address_is_used_behind_a_trusted_proxy(settings):
    settings.ASYLON_TRUSTED_PROXIES = ["10.0.0.2"]
    assert client_address(request_from("10.0.0.2", forwarded="198.51.100.1")) == "198.51.100.1"


def test_a_client_cannot_forge_its_address_through_the_proxy(settings):
    settings.ASYLON_TRUSTED_PROXIES = ["10.0.0.2"]
    # The client sent "X-Forwarded-For: 1.1.1.1"; the proxy appended the real address.
    assert client_address(request_from("10.0.0.2", forwarded="1.1.1.1, 198.51.100.1")) == "198.51.100.1"


def test_an_untrusted_peer_cannot_set_the_header(settings):
    settings.ASYLON_TRUSTED_PROXIES = ["10.0.0.2"]
    assert client_address(request_from("203.0.113.5", forwarded="198.51.100.1")) == "203.0.113.5"


@pytest.mark.parametrize("path", ["/help/", "/help", "/help/follow-up/abc", "/be/help/", "/ru/help/x", "/lt/help"])
def test_help_paths_are_recognised(path):
    assert is_help_path(path)


@pytest.mark.parametrize("path", ["/helpers/", "/cases/help/", "/audit/", "/be/cases/"])
def test_other_paths_are_not_help(path):
    assert not is_help_path(path)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/help/", "/be/help/new"])
def test_no_address_is_recorded_for_help(settings, path):
    settings.ASYLON_TRUSTED_PROXIES = ["10.0.0.2"]
    request = request_from("10.0.0.2", forwarded="198.51.100.1", path=path)

    AuditMiddleware(lambda request: record(actor=None, action="intake.submit") and HttpResponse())(request)

    assert AuditEntry.objects.get(action="intake.submit").remote_address is None


@pytest.mark.django_db
def test_staff_requests_record_the_client_address(settings):
    settings.ASYLON_TRUSTED_PROXIES = ["10.0.0.2"]
    request = request_from("10.0.0.2", forwarded="198.51.100.1", path="/cases/")

    AuditMiddleware(lambda request: record(actor=None, action="case.open") and HttpResponse())(request)

    assert AuditEntry.objects.get(action="case.open").remote_address == "198.51.100.1"
