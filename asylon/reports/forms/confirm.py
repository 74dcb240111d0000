"""A confirmation: the page asks, the button confirms."""

from __future__ import annotations

from django import forms


class DeleteForm(forms.Form):
    """Nothing to fill in: an empty POST confirms the deletion the page asked about."""
