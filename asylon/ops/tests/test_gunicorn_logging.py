"""The production gunicorn logger keeps error events but drops the request they came with."""

from __future__ import annotations

import logging

import pytest
from gunicorn.config import Config

from asylon.ops.gunicorn_logging import PrivateLogger


@pytest.fixture
def logger(caplog):
    config = Config()
    config.set("accesslog", "-")  # even when asked for one on the command line
    private = PrivateLogger(config)
    private.error_log.propagate = private.access_log.propagate = True  # let caplog see both logs
    caplog.set_level(logging.DEBUG, logger="gunicorn.error")
    caplog.set_level(logging.DEBUG, logger="gunicorn.access")
    return private


def test_an_error_handling_a_request_is_logged_with_its_type_and_stack_but_not_the_request(logger, caplog):
    request = "/help/status/?codename=amber-fox-lake from 203.0.113.7"
    try:
        raise ValueError(request)  # the stack quotes this source line, never the message
    except ValueError:
        logger.exception("Error handling request %s", request)

    text = caplog.text
    assert "Error handling request (ValueError)" in text and "test_gunicorn_logging.py" in text
    assert "/help/" not in text and "amber-fox-lake" not in text and "203.0.113.7" not in text


def test_an_invalid_request_is_logged_without_address_or_request_line(logger, caplog):
    logger.warning("Invalid request from ip=203.0.113.7: Invalid HTTP Version 'GET /help/?x HTTP/9'")

    assert "Invalid request refused" in caplog.text
    assert "203.0.113.7" not in caplog.text and "/help/" not in caplog.text


def test_other_events_pass_unchanged_and_the_access_log_writes_nothing(logger, caplog):
    logger.warning("Worker timeout (pid:%s)", 42)
    try:
        raise RuntimeError("arbiter trouble")
    except RuntimeError:
        logger.exception("Unhandled exception in main loop")
    logger.access(object(), object(), {"REMOTE_ADDR": "203.0.113.7", "PATH_INFO": "/help/"}, None)

    assert "Worker timeout (pid:42)" in caplog.text
    assert "Unhandled exception in main loop" in caplog.text and "arbiter trouble" in caplog.text
    assert [record for record in caplog.records if record.name == "gunicorn.access"] == []
    assert "203.0.113.7" not in caplog.text
