"""`asylon demo`: quickstart plus two demo staff accounts and 300 synthetic persons, loaded once."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from asylon.accounts.models import Organisation, Role, User
from asylon.accounts.services import mfa_methods_set, staff_user_create
from asylon.intake.demo import demo_submissions_load
from asylon.ops.management.commands.quickstart import Command as QuickstartCommand
from asylon.ops.management.commands.synth import summary_table
from asylon.ops.synth import synthesise
from asylon.ops.synth.access import case_access_grant
from asylon.people.models import Person
from asylon.reports.services.outside_figures import outside_figures_load

DEMO_PERSONS = 300
DEMO_SEED = 2026
DEMO_STAFF = (
    ("caseworker@example.org", Role.CASEWORKER, "Demo caseworker"),
    ("lawyer@example.org", Role.LAWYER, "Demo lawyer"),
)


class Command(QuickstartCommand):
    help = "Like quickstart, and on a new data directory also demo staff accounts and synthetic cases."

    def load_data(self, options: dict[str, Any]) -> None:
        """Load the demo data into the first organisation unless it already holds persons."""
        organisation = Organisation.objects.order_by("created_at").first()
        if organisation is None or Person.objects.filter(organisation=organisation).exists():
            return
        self.stdout.write(f"Loading {DEMO_PERSONS} synthetic persons (fictional) into {organisation.slug}…")
        with transaction.atomic():
            # Passkeys stay the default for admins and lawyers elsewhere; a demo must open on any device.
            mfa_methods_set(actor=None, organisation=organisation, methods={role: ["totp"] for role in Role.values})
            passwords = self.demo_staff(organisation)
            summary = synthesise(organisation=organisation, persons=DEMO_PERSONS, seed=DEMO_SEED)
            summary.counts.update(case_access_grant(organisation=organisation, seed=DEMO_SEED))
            # Cited outside figures (sources: an NGO report and the press, marked as secondary) for reports.
            figures = outside_figures_load(actor=None, organisation=organisation)
            summary.counts.update({"reports.ExternalStatistic": figures.figures, "evidence.Source": figures.sources})
            # A few fictional help-form submissions waiting in the triage queue.
            intake_codenames = demo_submissions_load(organisation=organisation, seed=DEMO_SEED)
            summary.counts.update({"intake.IntakeSubmission": len(intake_codenames)})
        self.stdout.write(summary_table(summary, title="Demo data", seconds=summary.seconds))
        self.stdout.write(
            "Second factor: this demo organisation allows an authenticator app (TOTP) for every role; "
            "production defaults require passkeys for admins and lawyers."
        )
        self.stdout.write(f"  help-form status page, a demo codename: {intake_codenames[0]}")
        for email, password in passwords:
            self.stdout.write(f"  demo login:    {email}")
            self.stdout.write(f"  one-time password (shown once, change it at first login): {password}")

    def demo_staff(self, organisation: Organisation) -> list[tuple[str, str]]:
        """Create the demo caseworker and lawyer where missing; return (e-mail, one-time password) of each new one."""
        created = []
        for email, role, display_name in DEMO_STAFF:
            if User.objects.filter(email__iexact=email).exists():
                continue
            _user, password = staff_user_create(
                actor=None, organisation=organisation, email=email, role=role, display_name=display_name
            )
            created.append((email, password))
        return created
