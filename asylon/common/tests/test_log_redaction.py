"""No log line keeps an invitation link's secret; the rest of the line, and other paths, stay as they were."""

import logging

import pytest


@pytest.mark.parametrize("path", ["/org/join/s3cr3t-Key_1/", "/ru/org/join/s3cr3t-Key_1/", "/org/join/s3cr3t-Key_1"])
def test_a_refused_invitation_link_is_logged_without_its_secret(caplog, path):
    logging.getLogger("django.request").warning("Not Found: %s", path)
    logged = "\n".join(handler_output(caplog))
    assert "s3cr3t-Key_1" not in logged and "/org/join/[redacted]" in logged and "Not Found" in logged


def test_other_paths_and_the_acceptance_page_are_logged_as_they_are(caplog):
    logging.getLogger("django.request").warning("Not Found: %s and %s", "/org/join/account/", "/cases/42/")
    assert "Not Found: /org/join/account/ and /cases/42/" in "\n".join(handler_output(caplog))


def handler_output(caplog) -> list[str]:
    """The lines as the configured handlers write them (their filters applied), not as caplog captured them."""
    handler = next(handler for handler in logging.getLogger().handlers if handler.filters)
    return [handler.format(record) for record in caplog.records]
