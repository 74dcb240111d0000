"""Log records never carry an invitation link's secret: Django logs the path of every refused request
("Not Found: /org/join/<secret>/"), and a link typed under a language prefix or already used is refused."""

from __future__ import annotations

import logging
import re

INVITATION_SECRET = re.compile(r"(/org/join/)(?!account/)[^/\s?#]+")
REDACTED = r"\1[redacted]"


class InvitationSecretFilter(logging.Filter):
    """Replaces the secret segment of /org/join/<secret>/ in a record's message (formatted first)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/org/join/" in message:
            record.msg = INVITATION_SECRET.sub(REDACTED, message)
            record.args = ()
        return True
