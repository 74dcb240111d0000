"""`asylon quickstart`: migrate, create the first organisation and admin, then serve in the foreground."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from asylon.accounts.models import Organisation, Role
from asylon.accounts.services import organisation_create, staff_user_create
from asylon.ops.serving import serve

DEFAULT_BIND = "127.0.0.1:8000"
PUBLIC_URL = "http://localhost:8000/"


class Command(BaseCommand):
    help = "Prepare the data directory, migrate, create the first organisation and admin, then serve."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", default="Demo Rights Centre", help="name of the first organisation")
        parser.add_argument("--admin-email", default="admin@example.org")
        parser.add_argument("--bind", default=DEFAULT_BIND)
        parser.add_argument("--no-serve", action="store_true", help="prepare only, do not start server and worker")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write("Applying database migrations…")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        password = self.first_organisation(options["organisation"], options["admin_email"])
        self.load_data(options)
        self.stdout.write(self.style.SUCCESS(f"\nAsylon is ready: {PUBLIC_URL}"))
        if password:
            self.stdout.write(f"  admin login:   {options['admin_email']}")
            self.stdout.write(f"  one-time password (shown once, change it at first login): {password}\n")
        else:
            self.stdout.write("  data directory reused (log in with the account you created earlier)\n")
        if not options["no_serve"]:
            self.stdout.write("Server and worker running in the foreground; Ctrl-C stops both.")
            raise SystemExit(serve(bind=options["bind"]))

    def first_organisation(self, name: str, email: str) -> str:
        """Create the organisation and its admin on a new data directory; return the one-time password."""
        if Organisation.objects.exists():
            return ""
        organisation = organisation_create(actor=None, name=name)
        _user, password = staff_user_create(actor=None, organisation=organisation, email=email, role=Role.ORG_ADMIN)
        return password

    def load_data(self, options: dict[str, Any]) -> None:
        """Quickstart loads nothing; `asylon demo` adds synthetic data here."""
