"""The privacy rules of the public pages, one by one: the path predicate, the daily key, cookies, uploads."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.http import HttpResponse
from django.test import Client, RequestFactory

from asylon.audit.remote import client_address, peer_address
from asylon.intake import abuse
from asylon.intake.files import intake_file_read
from asylon.intake.models import IntakeFile
from asylon.intake.privacy import is_public_intake_path, public_response


@pytest.mark.parametrize(
    "path", ["/help", "/help/", "/help/status/", "/be/help/", "/LT/HELP/altcha/", "/uk/help/some-org/"]
)
def test_public_paths_are_recognised_with_any_language_prefix(path):
    assert is_public_intake_path(path)


@pytest.mark.parametrize("path", ["/", "/helpdesk/", "/cases/help/", "/xx/help/", "/intake/", "/static/help.css", ""])
def test_other_paths_are_not_public_intake(path):
    assert not is_public_intake_path(path)


def test_the_audit_address_is_none_for_help_pages_but_the_limit_still_sees_the_peer(settings):
    settings.ASYLON_TRUSTED_PROXIES = ["10.0.0.1"]
    request = RequestFactory().get("/be/help/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_address(request) is None
    assert peer_address(request) == "203.0.113.9"
    staff_request = RequestFactory().get("/cases/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_address(staff_request) == "203.0.113.9"


def test_the_bucket_is_a_keyed_digest_that_changes_every_day_and_with_the_process_key():
    request = RequestFactory().get("/help/", REMOTE_ADDR="203.0.113.77")
    monday, tuesday = datetime.date(2026, 3, 2), datetime.date(2026, 3, 3)
    first = abuse.address_bucket(request, today=monday)
    assert first == abuse.address_bucket(request, today=monday)
    assert "203.0.113.77" not in first and len(first) == 32
    assert abuse.address_bucket(request, today=tuesday) != first
    abuse.forget_keys()  # a restart draws a new key
    assert abuse.address_bucket(request, today=monday) != first


def test_public_responses_keep_no_session_or_messages_cookie_and_are_not_stored():
    response = HttpResponse("page")
    response.set_cookie("sessionid", "abc")
    response.set_cookie("messages", "xyz")
    response.set_cookie("csrftoken", "token")
    public_response(response)
    assert set(response.cookies) == {"csrftoken"}
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"


def test_uploads_stay_in_memory_even_when_large(organisation, monkeypatch, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # anything larger would go to a temporary file elsewhere

    def refuse(*args, **kwargs):
        raise AssertionError("a public upload was written to a temporary file")

    monkeypatch.setattr(TemporaryUploadedFile, "__init__", refuse)
    content = ("Позва. " * 2000).encode()
    upload = SimpleUploadedFile("note.txt", content, content_type="text/plain")
    response = Client().post("/help/", {"name": "Memory", "text": "With a file", "files": [upload]})
    assert response.status_code == 200
    assert intake_file_read(IntakeFile.objects.get()) == content
