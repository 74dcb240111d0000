"""gunicorn's logger for production (deploy/gunicorn.conf.py): no access log, no request lines in the error log.

People who reach the public help pages may be hiding from the state that seized the server, and staff
requests carry case ids in their paths: neither their addresses nor what they asked for is written.
gunicorn writes both in two places besides its access log: "Error handling request <uri>" and
"Invalid request from ip=<address>: <request line>". This logger keeps those events, without the
request (docs/deploy.md, "Log policy").
"""

from __future__ import annotations

import sys
import traceback
from typing import Any

from gunicorn import glogging

ERROR_HANDLING_REQUEST = "Error handling request"
INVALID_REQUEST = "Invalid request from ip="


class PrivateLogger(glogging.Logger):
    """gunicorn.glogging.Logger without the access log and without the request in error events."""

    def access(self, resp: Any, req: Any, environ: dict, request_time: Any) -> None:
        """Write nothing, whatever `accesslog` says."""

    def exception(self, msg: object, *args: Any, **kwargs: Any) -> None:
        if isinstance(msg, str) and msg.startswith(ERROR_HANDLING_REQUEST):
            # The exception's text may quote the request; its type and stack are what an operator needs.
            error_type, _error, trace = sys.exc_info()
            name = error_type.__name__ if error_type else "unknown error"
            stack = "".join(traceback.format_tb(trace)) if trace else ""
            self.error("%s (%s); stack:\n%s", ERROR_HANDLING_REQUEST, name, stack)
            return
        super().exception(msg, *args, **kwargs)

    def warning(self, msg: object, *args: Any, **kwargs: Any) -> None:
        if isinstance(msg, str) and msg.startswith(INVALID_REQUEST):
            super().warning("Invalid request refused (malformed request line or headers)")
            return
        super().warning(msg, *args, **kwargs)
