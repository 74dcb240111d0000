"""Encrypting an export with age (pyrage): to a passphrase, or to one or more recipients' public keys.

There is no unencrypted export. The file is built in memory and encrypted there; only the age file
leaves the server. Recipients are age X25519 keys (`age1…`) and SSH keys (`ssh-ed25519 …`,
`ssh-rsa …`), which age accepts too. A passphrase is stretched by age's scrypt (work factor 2^18,
about two seconds here), which is what makes a long passphrase worth having.
"""

from __future__ import annotations

from typing import Any

import pyrage
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pyrage import passphrase as age_passphrase
from pyrage import ssh, x25519

MIN_PASSPHRASE_LENGTH = 12
MAX_RECIPIENTS = 20
FILE_SUFFIX = ".age"


def recipient_from_line(text: str) -> Any:
    """One age recipient from its public key text (ValueError when it is not one)."""
    if text.startswith("age1"):
        try:
            return x25519.Recipient.from_str(text)
        except pyrage.RecipientError as error:
            raise ValueError(str(error)) from error
    if text.startswith(("ssh-ed25519 ", "ssh-rsa ")):
        try:
            return ssh.Recipient.from_str(text)
        except pyrage.RecipientError as error:
            raise ValueError(str(error)) from error
    raise ValueError("unknown key type")


def recipients_from_text(text: str) -> list[Any]:
    """The recipients listed one per line (blank lines and # comments skipped); a clear error names the line."""
    recipients = []
    for number, line in enumerate(text.splitlines(), start=1):
        value = line.strip()
        if not value or value.startswith("#"):
            continue
        try:
            recipients.append(recipient_from_line(value))
        except ValueError:
            raise ValidationError(
                {
                    "recipients": _(
                        "Line %(line)s is not a public key age can encrypt to. Give an age key (age1…) "
                        "or an SSH public key (ssh-ed25519 … or ssh-rsa …), one per line."
                    )
                    % {"line": number}
                }
            ) from None
    if not recipients:
        raise ValidationError({"recipients": _("Give at least one public key (age1…, ssh-ed25519 … or ssh-rsa …).")})
    if len(recipients) > MAX_RECIPIENTS:
        raise ValidationError({"recipients": _("Give at most %(count)s public keys.") % {"count": MAX_RECIPIENTS}})
    return recipients


def passphrase_checked(value: str) -> str:
    """The passphrase if it is long enough (ValidationError naming the field otherwise)."""
    if len(value) < MIN_PASSPHRASE_LENGTH:
        raise ValidationError(
            {
                "passphrase": _(
                    "The passphrase must have at least %(count)s characters. Several random words are "
                    "easier to type and harder to guess than one short word with symbols."
                )
                % {"count": MIN_PASSPHRASE_LENGTH}
            }
        )
    return value


def sealed(plaintext: bytes, *, passphrase: str = "", recipients: list[Any] | None = None) -> bytes:
    """The plaintext as an age file, to the passphrase or to the recipients (exactly one of the two)."""
    if bool(passphrase) == bool(recipients):
        raise ValueError("encrypt to a passphrase or to recipients, not both or neither")
    if passphrase:
        return age_passphrase.encrypt(plaintext, passphrase)
    return pyrage.encrypt(plaintext, list(recipients or []))
