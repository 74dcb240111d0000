"""`load_reference_data`: upsert the instance-wide vocabularies and legal rules from asylon/vocab/data/."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from asylon.vocab.loading import load_reference_data


class Command(BaseCommand):
    help = "Create or update the instance-wide vocabularies, terms and legal rules from the shipped JSON files."

    def handle(self, *args: Any, **options: Any) -> None:
        report = load_reference_data()
        self.stdout.write(self.style.SUCCESS(f"Reference data loaded: {report}"))
