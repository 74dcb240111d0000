"""allauth adapter: staff accounts are created by admins, never by public sign-up."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False


def user_display(user: Any) -> str:
    """How allauth names the signed-in user on their own screens ("Signed in as ..."): never the bare id."""
    return user.display_name or user.email
