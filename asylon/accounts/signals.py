"""Clears the one-time-password flag once the user has chosen their own password."""

from __future__ import annotations

from typing import Any

from allauth.account.signals import password_changed
from django.dispatch import receiver


@receiver(password_changed)
def clear_one_time_password(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
