"""The authorisation matrix: every route × every role × own case, another case, another organisation.

The expected answers are the hand-written table `authorisation_matrix.txt` beside this file (its
header says how to read and extend it); nothing here derives them from the code. The test walks
every route the URL resolver knows (UI, API, allauth, admin, and whatever is added later), fails on
a route the table does not list, and checks every cell with a real request as the role's user,
logged in with a second factor. A missing cell is a deny. Deny means 403, 404 or 405, or a
redirect to a login page, and no row added or removed in any table (bookkeeping tables excepted).
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import LocalePrefixPattern

from asylon.accounts.models import Organisation, User
from asylon.cases.models import Case
from tests.factories import (
    TEST_PASSWORD,
    case_with_member,
    enrol_second_factor,
    person_on_case,
    reauthenticated,
    sign_in,
    staff,
)

TABLE_PATH = Path(__file__).with_name("authorisation_matrix.txt")
ROLES = ("anonymous", "org_admin", "caseworker", "lawyer", "analyst", "viewer", "auditor", "operator")
CONTEXTS = ("own", "case", "org")
METHODS = ("GET", "POST")
# Rows in these tables may come and go on any request, allowed or not: sessions, the audit log
# (which records denials too) and the login-failure counters.
BOOKKEEPING_TABLE_PREFIXES = ("django_session", "audit_", "axes_")


# ---------------------------------------------------------------------------------------------
# The table


@dataclass(frozen=True)
class Expectation:
    """One line of the table: for each role, the contexts in which the route answers."""

    route: str
    method: str
    allowed: dict[str, frozenset[str]]
    line: int

    def allows(self, role: str, context: str) -> bool:
        return context in self.allowed.get(role, frozenset())


def parse_cell(cell: str, where: str) -> frozenset[str]:
    if cell == "-":
        return frozenset()
    if cell == "y":
        return frozenset((*CONTEXTS, "none"))
    contexts = frozenset(cell.split(","))
    unknown = contexts - set(CONTEXTS)
    if unknown:
        raise ValueError(f"{where}: unknown context {sorted(unknown)}; use -, y or a list of {', '.join(CONTEXTS)}")
    return contexts


def load_table(path: Path = TABLE_PATH) -> dict[tuple[str, str], Expectation]:
    """The expectations by (route, method), from the hand-written table."""
    table: dict[tuple[str, str], Expectation] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        text = raw.split(" #", 1)[0].strip()
        if not text or text.startswith("#"):
            continue
        route, method, *cells = text.split()
        where = f"{path.name}:{number}"
        if method not in METHODS:
            raise ValueError(f"{where}: method must be one of {METHODS}, not {method!r}")
        if len(cells) > len(ROLES):
            raise ValueError(f"{where}: {len(cells)} cells for {len(ROLES)} roles")
        if (route, method) in table:
            raise ValueError(f"{where}: {route} {method} is listed twice")
        allowed = {role: parse_cell(cell, where) for role, cell in zip(ROLES, cells, strict=False)}
        table[route, method] = Expectation(route, method, allowed, number)
    return table


# ---------------------------------------------------------------------------------------------
# The routes


@dataclass(frozen=True)
class Route:
    """A route as the resolver knows it: its pattern (the table's key) and its parameters."""

    key: str
    parameters: tuple[str, ...]


PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>|\(\?P<(?P<group>\w+)>(?:[^()]|\([^()]*\))*\)")


def _pattern_text(pattern: Any) -> str:
    if isinstance(pattern, LocalePrefixPattern):
        return ""  # the default language has no prefix; /be/... are the same routes
    return str(pattern).removeprefix("^").removesuffix("$")


def walk(patterns: list[Any], prefix: str = "/") -> Iterator[Route]:
    for entry in patterns:
        text = prefix + _pattern_text(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, text)
        elif isinstance(entry, URLPattern):
            names = tuple(match["name"] or match["group"] for match in PARAMETER.finditer(text))
            yield Route(text, names)


def all_routes() -> list[Route]:
    """Every route of the project, in resolver order, each once."""
    return list({route.key: route for route in walk(get_resolver().url_patterns)}.values())


def concrete_path(route: Route, values: dict[str, str]) -> str:
    return PARAMETER.sub(lambda match: values[match["name"] or match["group"]], route.key)


# ---------------------------------------------------------------------------------------------
# The world the requests run in


@dataclass
class World:
    """Organisation A with one user per role, all members of `own` case; another case of A with
    none of them; organisation B with its own case and staff; an operator (superuser)."""

    users: dict[str, User]
    organisations: dict[str, Organisation]
    cases: dict[str, Case]
    persons: dict[str, Any]
    strangers: dict[str, User]  # a user in each context who is not the requester
    authenticators: dict[User, int] = field(default_factory=dict)  # the factor each signs in with
    passkeys: dict[User, int] = field(default_factory=dict)  # and a passkey each, for the passkey pages
    clients: dict[str, Client] = field(default_factory=dict)  # one signed-in client per role
    checkpoint_id: str = ""  # a signed audit checkpoint (instance-wide)
    records: dict[str, dict[str, str]] = field(default_factory=dict)  # URL parameter -> context -> id


# Casework records a URL names, built on each context's case and person: URL parameter -> builder.
# A route with a new `<uuid:..._id>` adds its builder here (the record of the `own` case is the
# requester's own; of `case` a colleague's case; of `org` another organisation's).
def _proceeding(case: Case, person: Any) -> Any:
    import datetime

    from asylon.cases.models import Proceeding
    from asylon.vocab.selectors import term

    court = term(vocabulary="decision_maker", code="regional_admin_court")
    return Proceeding.objects.create(
        organisation=case.organisation, case=case, tier="appeal_tier1", court=court, lodged_on=datetime.date(2024, 3, 1)
    )


def _intervention(case: Case, person: Any) -> Any:
    import datetime

    from asylon.cases.models import Intervention
    from asylon.vocab.selectors import term

    kind = term(vocabulary="intervention_type", code="letter_to_authority")
    return Intervention.objects.create(
        organisation=case.organisation, case=case, intervention_type=kind, carried_out_on=datetime.date(2024, 4, 2)
    )


def _status_period(case: Case, person: Any) -> Any:
    import datetime

    from asylon.cases.models import StatusPeriod

    return StatusPeriod.objects.create(
        organisation=case.organisation,
        case=case,
        person=person,
        kind="residence",
        status="temp_resident",
        started_on=datetime.date(2023, 1, 1),
    )


def _service_period(case: Case, person: Any) -> Any:
    from asylon.people.models import MilitaryServicePeriod

    return MilitaryServicePeriod.objects.create(organisation=case.organisation, person=person, service_type="conscript")


def _relationship(case: Case, person: Any) -> Any:
    from asylon.people.models import Relationship

    return Relationship.objects.create(organisation=case.organisation, person=person, kind="parent")


def _consent(case: Case, person: Any) -> Any:
    import datetime

    from asylon.people.models import ConsentRecord

    return ConsentRecord.objects.create(
        organisation=case.organisation, person=person, purpose="casework", given_on=datetime.date(2024, 1, 1)
    )


def _document(case: Case, person: Any) -> Any:
    import rules

    from asylon.evidence.services import document_store
    from asylon.evidence.tests.samples import png

    writer = next(m.user for m in case.memberships.all() if rules.has_perm("evidence.change_document", m.user, case))
    return document_store(actor=writer, case=case, data=png(), filename="matrix.png", content_type="image/png")


def _task(case: Case, person: Any) -> Any:
    from asylon.cases.models import Task

    return Task.objects.create(organisation=case.organisation, case=case, title="Matrix task")


def _deadline(case: Case, person: Any) -> Any:
    import datetime

    from asylon.cases.models import Deadline

    return Deadline.objects.create(
        organisation=case.organisation, case=case, kind="appeal", due_on=datetime.date(2024, 5, 1)
    )


def _event(case: Case, person: Any) -> Any:
    from asylon.cases.models import Event
    from asylon.vocab.selectors import term

    kind = term(vocabulary="event_type", code="summons_issued")
    return Event.objects.create(
        organisation=case.organisation, case=case, person=person, event_type=kind, date_precision="year", year=2022
    )


def _decision(case: Case, person: Any) -> Any:
    from asylon.cases.models import Decision
    from asylon.vocab.selectors import term

    return Decision.objects.create(
        organisation=case.organisation,
        case=case,
        decision_type=term(vocabulary="decision_type", code="visa"),
        decision_maker=term(vocabulary="decision_maker", code="migration_department"),
    )


def _note(case: Case, person: Any) -> Any:
    """A note by the case's caseworker member (built before `_case_member` adds another)."""
    from asylon.accounts.models import Role
    from asylon.cases.models import Note

    author = case.memberships.get(user__memberships__role=Role.CASEWORKER).user
    return Note.objects.create(organisation=case.organisation, case=case, author=author, body="Matrix note")


def _case_member(case: Case, person: Any) -> Any:
    """A colleague who is a member of the case (the one a member_remove URL names)."""
    from asylon.cases.models import CaseMembership

    member = staff(case.organisation)
    CaseMembership.objects.create(organisation=case.organisation, case=case, user=member)
    return member


def _report(case: Case, person: Any) -> Any:
    from asylon.reports.models import Report

    body = "# Matrix report\n\nNo figures yet.\n"
    return Report.objects.create(
        organisation=case.organisation, title="Matrix", slug=f"m-{uuid.uuid4().hex[:8]}", body=body
    )


def _report_version(case: Case, person: Any) -> Any:
    from asylon.reports.models import ReportVersion

    report = _report(case, person)
    return ReportVersion.objects.create(organisation=case.organisation, report=report, number=1, body=report.body)


def _external_statistic(case: Case, person: Any) -> Any:
    from asylon.evidence.models import Source
    from asylon.reports.models import ExternalStatistic

    source = Source.objects.create(organisation=case.organisation, title="Matrix source")
    return ExternalStatistic.objects.create(
        organisation=case.organisation, code=f"m-{uuid.uuid4().hex[:8]}", label="Matrix", value=1, source=source
    )


def _duplicate_candidate(case: Case, person: Any) -> Any:
    from asylon.people.models import DuplicateCandidate

    twin = person_on_case(case)
    first, second = sorted([person.pk, twin.pk])
    return DuplicateCandidate.objects.create(
        organisation=case.organisation, person_id=first, other_id=second, score=0.9, reasons=["name"]
    )


def _candidate_partner(world: World, context: str) -> str:
    """The other person of the context's duplicate candidate (the one that is not world.persons[context])."""
    from asylon.people.models import DuplicateCandidate

    candidate = DuplicateCandidate.objects.get(pk=world.records["candidate_id"][context])
    person = world.persons[context].pk
    return str(candidate.other_id if candidate.person_id == person else candidate.person_id)


# The sheet of the matrix's import runs (two columns, one row) and the mapping posted for it.
MATRIX_SHEET = "Фамилия,Имя\nМатрыца,Тэст\n".encode()
MATRIX_MAPPING = {"column_0": "person.family_name", "column_1": "person.given_name", "date_order": "day_first"}


def _matrix_sheet() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("matrix.csv", MATRIX_SHEET, content_type="text/csv")


def _importer(case: Case) -> Any:
    return next(m.user for m in case.memberships.all() if m.user.has_perm("ops.import_records", case.organisation))


def _import_run(case: Case, person: Any) -> Any:
    """A checked import run of the case's organisation (runs are organisation-wide)."""
    from asylon.ops.services.imports import import_check, import_map, import_upload

    actor = _importer(case)
    run = import_upload(actor=actor, organisation=case.organisation, upload=_matrix_sheet())
    mapping = {"Фамилия": "person.family_name", "Имя": "person.given_name"}
    run = import_map(actor=actor, run=run, mapping=mapping, options={})
    return import_check(actor=actor, run=run)


def _import_run_with_files(route: Route, world: World, context: str, user: User | None) -> str:
    """The context's import run, its upload and an error file in storage: a discard in an earlier cell deleted
    them (its database side was rolled back, its files were not)."""
    from asylon.ops.imports.files import ERRORS, UPLOAD, file_write
    from asylon.ops.models import ImportRun

    run = ImportRun.objects.get(pk=world.records["run_id"][context])
    file_write(run, UPLOAD, MATRIX_SHEET)
    file_write(run, ERRORS, MATRIX_SHEET)
    ImportRun.objects.filter(pk=run.pk).update(error_file_stored=True)
    return str(run.pk)


def _import_profile(case: Case, person: Any) -> Any:
    from asylon.ops.models import ImportProfile

    return ImportProfile.objects.create(
        organisation=case.organisation, name=f"Matrix {uuid.uuid4().hex[:8]}", mapping={"Имя": "person.given_name"}
    )


def _intake_submission(case: Case, person: Any) -> Any:
    """A submission to the case's organisation, sent through the help form with one file."""
    from asylon.evidence.tests.samples import png
    from asylon.intake.services.submissions import submission_create

    upload = _matrix_upload_named("intake.png", png())
    submission, _codename = submission_create(
        organisation=case.organisation,
        language="en",
        name="Матрыца Тэст",
        contact="Signal: +370 600 00000",
        situations=["summons_issued"],
        deadline_on=None,
        text="Matrix submission",
        files=[upload],
    )
    return submission


def _intake_file(route: Route, world: World, context: str, user: User | None) -> str:
    """The file of the context's submission (the route names both)."""
    from asylon.intake.models import IntakeFile

    return str(IntakeFile.objects.get(submission_id=world.records["submission_id"][context]).pk)


def _matrix_upload_named(name: str, data: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="image/png")


def _invitation(case: Case, person: Any) -> Any:
    """An open invitation to the case's organisation (invitations are organisation-wide)."""
    import datetime

    from django.utils import timezone

    from asylon.accounts.models import Invitation

    return Invitation.objects.create(
        organisation=case.organisation,
        email=f"invited-{uuid.uuid4().hex[:8]}@example.org",
        role="viewer",
        digest=uuid.uuid4().hex * 2,
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )


def _factor_reset(case: Case, person: Any) -> Any:
    """A second-factor reset waiting for a second admin, asked by another admin of the case's organisation for a
    colleague (so the matrix's own admin is a second admin who may decide it)."""
    from django.utils import timezone

    from asylon.accounts.models import Role
    from asylon.orgsecurity.models import FactorResetRequest

    return FactorResetRequest.objects.create(
        organisation=case.organisation,
        user=staff(case.organisation),
        requested_by=staff(case.organisation, Role.ORG_ADMIN),
        reason="lost",
        expires_at=timezone.now() + FactorResetRequest.LIFETIME,
    )


RECORD_BUILDERS: dict[str, Callable[[Case, Any], Any]] = {
    "task_id": _task,
    "deadline_id": _deadline,
    "document_id": _document,
    "period_id": _service_period,
    "relationship_id": _relationship,
    "consent_id": _consent,
    "candidate_id": _duplicate_candidate,
    "proceeding_id": _proceeding,
    "intervention_id": _intervention,
    "status_id": _status_period,
    "event_id": _event,
    "decision_id": _decision,
    "note_id": _note,
    "report_id": _report,
    "version_id": _report_version,
    "statistic_id": _external_statistic,
    "run_id": _import_run,
    "profile_id": _import_profile,
    "submission_id": _intake_submission,
    "invitation_id": _invitation,
    "reset_id": _factor_reset,
    "user_id": _case_member,  # after note_id: it adds a caseworker to each case
}


def give_second_factors(user: User) -> tuple[int, int]:
    """A passkey for everyone (the passkey pages need one), and TOTP where the policy allows it.
    Returns the factor the user signs in with and the passkey."""
    from asylon.accounts.mfa import TOTP, mfa_methods_allowed

    passkey = enrol_second_factor(user, Authenticator.Type.WEBAUTHN)
    if TOTP in mfa_methods_allowed(user):
        return int(enrol_second_factor(user, Authenticator.Type.TOTP).pk), int(passkey.pk)
    return int(passkey.pk), int(passkey.pk)


def build_world() -> World:
    org_a = Organisation.objects.create(name="Matrix A", slug="matrix-a")
    org_b = Organisation.objects.create(name="Matrix B", slug="matrix-b")
    from asylon.accounts.models import OrgPolicy

    OrgPolicy.objects.create(organisation=org_a)
    OrgPolicy.objects.create(organisation=org_b)
    users = {role: staff(org_a, role) for role in ROLES if role not in ("anonymous", "operator")}
    users["operator"] = User.objects.create_superuser(f"operator-{uuid.uuid4().hex[:8]}@example.org", TEST_PASSWORD)
    own = case_with_member(org_a, *users.values())
    colleague = staff(org_a)
    other = case_with_member(org_a, colleague)
    foreigner = staff(org_b)
    foreign = case_with_member(org_b, foreigner)
    world = World(
        users=users,
        organisations={"own": org_a, "case": org_a, "org": org_b},
        cases={"own": own, "case": other, "org": foreign},
        persons={name: person_on_case(case) for name, case in {"own": own, "case": other, "org": foreign}.items()},
        strangers={"case": colleague, "org": foreigner},
    )
    for user in [*users.values(), colleague, foreigner]:
        world.authenticators[user], world.passkeys[user] = give_second_factors(user)
    world.records = {
        name: {context: str(build(world.cases[context], world.persons[context]).pk) for context in world.cases}
        for name, build in RECORD_BUILDERS.items()
    }
    from asylon.audit.models import Checkpoint

    # A checkpoint row only (its signature is not checked by the pages), so no file is exported.
    checkpoint = Checkpoint.objects.create(sequence=1, entry_count=1, head_hash="0" * 64, key_id="test", signature="")
    world.checkpoint_id = str(checkpoint.pk)
    world.clients = {
        role: signed_in_client(world.users.get(role), world.authenticators.get(world.users.get(role)))  # type: ignore[arg-type]
        for role in ROLES
    }
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """Built once for the module inside a transaction that is rolled back at the end; each test
    runs in a savepoint within it (as Django's setUpTestData does)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def signed_in_client(user: User | None, authenticator_id: int | None) -> Client:
    """A client signed in as allauth leaves a session after a password and a second factor."""
    client = Client()
    if user is None:
        return client
    sign_in(client, user, Authenticator.objects.get(pk=authenticator_id))
    # Re-authenticated a moment ago too, so the matrix tests what lies behind allauth's re-authentication gate.
    return reauthenticated(client)


# ---------------------------------------------------------------------------------------------
# Parameters: which object each URL parameter names in each context


def _admin_object(route: Route, world: World, context: str) -> str:
    match = re.match(r"/admin/(\w+)/(\w+)/", route.key)
    if not match:
        return str(world.organisations[context].pk)
    model = next(
        model
        for model in admin.site._registry
        if (model._meta.app_label, model._meta.model_name) == (match[1], match[2])
    )
    if model is User:
        user = world.users["caseworker"] if context == "own" else world.strangers[context]
        return str(user.pk)
    if model is Organisation:
        return str(world.organisations[context].pk)
    rows = model._default_manager.all()
    if any(f.name == "organisation" for f in model._meta.get_fields()):
        rows = rows.filter(organisation=world.organisations[context])
    row = rows.first() or model._default_manager.first()  # instance-wide rows have no organisation
    return str(row.pk if row is not None else uuid.uuid4())


def _own_or_other_user(world: World, context: str, requester: User | None) -> User:
    if context == "own":
        return requester or world.users["caseworker"]
    return world.strangers[context]


def _api_token(route: Route, world: World, context: str, user: User | None) -> str:
    """An API token of the requester (own), of a colleague (case) or of another organisation's user (org)."""
    from asylon.accounts.tokens import api_token_create

    owner = _own_or_other_user(world, context, user)
    organisation = Organisation.objects.filter(memberships__user=owner).first()
    if organisation is None:  # the operator holds no organisation, so no token: the caseworker's
        owner = world.users["caseworker"]
        organisation = world.organisations["own"]
    return str(api_token_create(actor=owner, organisation=organisation, label="Matrix").token.pk)


def _passkey(route: Route, world: World, context: str, user: User | None) -> str:
    if not route.key.startswith("/accounts/2fa/"):
        raise AssertionError(f"{route.key}: `pk` means a passkey only under /accounts/2fa/; give this route a filler")
    return str(world.passkeys[_own_or_other_user(world, context, user)])


ParameterFiller = Callable[[Route, World, str, "User | None"], str]

PARAMETERS: dict[str, ParameterFiller] = {
    # Admin: an object of the context's organisation (or a user of it).
    "object_id": lambda route, world, context, user: _admin_object(route, world, context),
    "id": lambda route, world, context, user: str(_own_or_other_user(world, context, user).pk),
    "content_type_id": lambda route, world, context, user: str(ContentType.objects.get_for_model(Organisation).pk),
    "app_label": lambda route, world, context, user: "accounts",
    "url": lambda route, world, context, user: "no-such-page/",
    # allauth: tokens that do not exist (these pages must not reveal whether they did).
    "key": lambda route, world, context, user: "not-a-real-key",
    "uidb36": lambda route, world, context, user: "0",
    # allauth MFA: the requester's own passkey, or someone else's.
    "pk": lambda route, world, context, user: _passkey(route, world, context, user),
    # Audit: checkpoints are instance-wide (counts and hashes), the same in every context.
    "checkpoint_id": lambda route, world, context, user: world.checkpoint_id,
    # Statistics: an aggregate of the page's catalogue, counted in the user's own organisation.
    "aggregate": lambda route, world, context, user: "appeals",
    # The API (sessions refused): a vocabulary and an aggregate by their codes.
    "code": lambda route, world, context, user: "event_type",
    "slug": lambda route, world, context, user: "appeals",
    "token_id": _api_token,
    # The public help form of the context's organisation.
    "organisation": lambda route, world, context, user: world.organisations[context].slug,
    # Casework: the case, person ... of each context.
    "case_id": lambda route, world, context, user: str(world.cases[context].pk),
    "person_id": lambda route, world, context, user: str(world.persons[context].pk),
    **{name: (lambda route, world, context, user, name=name: world.records[name][context]) for name in RECORD_BUILDERS},
    "run_id": _import_run_with_files,
    "file_id": _intake_file,
}
CONTEXT_FREE_PARAMETERS = frozenset({"app_label", "url", "key", "uidb36", "checkpoint_id", "aggregate", "code", "slug"})


def contexts_of(route: Route) -> tuple[str, ...]:
    return CONTEXTS if set(route.parameters) - CONTEXT_FREE_PARAMETERS else ("none",)


# ---------------------------------------------------------------------------------------------
# Valid data for the write routes (POST lines of the table)


def _login(world: World, context: str, user: User | None) -> dict[str, str]:
    return {"login": world.users["caseworker"].email, "password": TEST_PASSWORD}


NEW_PASSWORD = "another correct horse 7391"


def _matrix_upload() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from asylon.evidence.tests.samples import png

    return SimpleUploadedFile("matrix.png", png(), content_type="image/png")


POST_DATA: dict[str, Callable[[World, str, User | None], dict[str, Any]]] = {  # values: strings or files
    "/accounts/login/": _login,
    "/accounts/logout/": lambda world, context, user: {},
    "/accounts/reauthenticate/": lambda world, context, user: {"password": TEST_PASSWORD},
    "/accounts/password/change/": lambda world, context, user: {
        "oldpassword": TEST_PASSWORD,
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    },
    "/accounts/password/reset/": lambda world, context, user: {"email": world.users["caseworker"].email},
    "/accounts/email/": lambda world, context, user: {"action_add": "", "email": "added@example.org"},
    "/accounts/security/sign-out-everywhere/": lambda world, context, user: {},
    "/accounts/api-tokens/": lambda world, context, user: {
        "label": "Matrix",
        "organisation": str(world.organisations["own"].pk),
        "scope": "read",
        "expires_on": (datetime.date.today() + datetime.timedelta(days=30)).isoformat(),
    },
    "/accounts/api-tokens/<uuid:token_id>/revoke/": lambda world, context, user: {},
    # The API refuses sessions whatever is posted.
    **dict.fromkeys(
        ["/api/v1/cases/", "/api/v1/persons/", "/api/v1/persons/search/", "/api/v1/events/", "/api/v1/decisions/"],
        lambda world, context, user: {},
    ),
    "/admin/logout/": lambda world, context, user: {},
    "/cases/": lambda world, context, user: {"q": "Матрыца", "status": "open"},
    "/people/": lambda world, context, user: {"q": "Матрыца", "number": "MP0000000"},
    "/cases/new/": lambda world, context, user: {"organisation": str(world.organisations["own"].pk), "risk": "high"},
    "/cases/<uuid:case_id>/edit/": lambda world, context, user: {
        "status": "open",
        "risk": "high",
        "opened_on": "2024-01-02",
    },
    "/accounts/2fa/webauthn/keys/<int:pk>/remove/": lambda world, context, user: {},
    **dict.fromkeys(
        ["/cases/<uuid:case_id>/tasks/new/", "/cases/<uuid:case_id>/tasks/<uuid:task_id>/edit/"],
        lambda world, context, user: {"title": "Matrix task", "due_on": "2024-05-01"},
    ),
    "/cases/<uuid:case_id>/tasks/<uuid:task_id>/complete/": lambda world, context, user: {},
    "/reports/new/": lambda world, context, user: {
        "organisation": str(world.organisations["own"].pk),
        "title": "Matrix report",
        "body": "No figures.",
    },
    "/reports/<uuid:report_id>/edit/": lambda world, context, user: {"title": "Matrix, corrected", "body": "Text."},
    "/reports/<uuid:report_id>/versions/": lambda world, context, user: {},
    "/reports/figures/new/": lambda world, context, user: {
        "code": f"matrix-{uuid.uuid4().hex[:8]}",
        "label": "Matrix figure",
        "value": "1644",
        "qualifier": "about",
        "unit": "persons",
        "source_title": "Matrix source",
        "source_reliability": "medium",
    },
    "/reports/figures/<uuid:statistic_id>/edit/": lambda world, context, user: {
        "code": f"matrix-{uuid.uuid4().hex[:8]}",
        "label": "Matrix, corrected",
        "value": "1645",
        "unit": "persons",
        "source_reliability": "unknown",
    },
    "/reports/figures/<uuid:statistic_id>/delete/": lambda world, context, user: {},
    "/reports/<uuid:report_id>/delete/": lambda world, context, user: {},
    "/cases/<uuid:case_id>/deadlines/new/": lambda world, context, user: {"kind": "appeal", "due_on": "2024-05-01"},
    "/cases/<uuid:case_id>/deadlines/<uuid:deadline_id>/status/": lambda world, context, user: {"status": "met"},
    **dict.fromkeys(
        ["/people/add-to-case/<uuid:case_id>/", "/people/<uuid:person_id>/edit/"],
        lambda world, context, user: {
            "role": "witness",
            "given_name": "Матрыца",
            "sex": "unknown",
            "military_service_category": "unknown",
            "dependants": "0",
        },
    ),
    **dict.fromkeys(
        ["/people/<uuid:person_id>/service/new/", "/people/<uuid:person_id>/service/<uuid:period_id>/edit/"],
        lambda world, context, user: {"service_type": "conscript", "start_year": "2010", "end_year": "2011"},
    ),
    **dict.fromkeys(
        ["/people/<uuid:person_id>/relatives/new/", "/people/<uuid:person_id>/relatives/<uuid:relationship_id>/edit/"],
        lambda world, context, user: {"kind": "sibling", "description": "Brother, conscript", "under_pressure": "on"},
    ),
    "/people/<uuid:person_id>/consents/new/": lambda world, context, user: {
        "purpose": "publication",
        "given_on": "2024-01-02",
    },
    "/people/<uuid:person_id>/consents/<uuid:consent_id>/withdraw/": lambda world, context, user: {
        "withdrawn_on": "2024-02-01"
    },
    "/people/duplicates/scan/": lambda world, context, user: {},
    "/people/duplicates/<uuid:candidate_id>/": lambda world, context, user: {"survivor": "first"},
    "/people/duplicates/<uuid:candidate_id>/dismiss/": lambda world, context, user: {},
    "/people/<uuid:person_id>/duplicates/": lambda world, context, user: {"other": _candidate_partner(world, context)},
    "/people/<uuid:person_id>/subject-access/": lambda world, context, user: {
        "fmt": "html",
        "method": "recipients",
        "recipients": "age1qrnvjqkpykyfr7rf8uz54aw8r784xar9t7pcnaglrjrhuue72ucs6pse78",
    },
    "/people/<uuid:person_id>/erase/": lambda world, context, user: {"reason": "request", "confirm": "on"},
    **dict.fromkeys(
        ["/cases/<uuid:case_id>/proceedings/new/", "/cases/<uuid:case_id>/proceedings/<uuid:proceeding_id>/edit/"],
        lambda world, context, user: {
            "tier": "appeal_tier1",
            "court": "regional_admin_court",
            "lodged_on": "2024-03-15",
        },
    ),
    "/cases/<uuid:case_id>/proceedings/<uuid:proceeding_id>/hearings/new/": lambda world, context, user: {
        "scheduled_for": "2024-05-06T10:30",
        "notes": "Interpreter booked",
    },
    **dict.fromkeys(
        [
            "/cases/<uuid:case_id>/interventions/new/",
            "/cases/<uuid:case_id>/interventions/<uuid:intervention_id>/edit/",
        ],
        lambda world, context, user: {"intervention_type": "letter_to_authority", "carried_out_on": "2024-04-02"},
    ),
    "/cases/<uuid:case_id>/documents/new/": lambda world, context, user: {"file": _matrix_upload()},
    **dict.fromkeys(
        ["/help/", "/help/<slug:organisation>/"],
        lambda world, context, user: {"name": "Matrix", "situations": ["detention"], "text": "Matrix request"},
    ),
    "/help/status/": lambda world, context, user: {"codename": "matrix-not-a-codename"},
    "/cases/<uuid:case_id>/sources/new/": lambda world, context, user: {"title": "Matrix", "reliability": "high"},
    "/imports/": lambda world, context, user: {
        "organisation": str(world.organisations["own"].pk),
        "upload": _matrix_sheet(),
    },
    "/imports/<uuid:run_id>/": lambda world, context, user: {"mode": "valid_only"},
    "/imports/<uuid:run_id>/map/": lambda world, context, user: MATRIX_MAPPING,
    "/imports/<uuid:run_id>/discard/": lambda world, context, user: {},
    "/imports/profiles/<uuid:profile_id>/delete/": lambda world, context, user: {},
    "/exports/": lambda world, context, user: {
        "organisation": str(world.organisations["own"].pk),
        "export_format": "csv",
        "method": "recipients",
        "recipients": "age1qrnvjqkpykyfr7rf8uz54aw8r784xar9t7pcnaglrjrhuue72ucs6pse78",
    },
    **dict.fromkeys(
        ["/cases/<uuid:case_id>/events/new/", "/cases/<uuid:case_id>/events/<uuid:event_id>/edit/"],
        lambda world, context, user: {
            "event_type": "summons_issued",
            "date_precision": "year",
            "year": "2022",
            "violation_status": "possible",
        },
    ),
    **dict.fromkeys(
        ["/cases/<uuid:case_id>/decisions/new/", "/cases/<uuid:case_id>/decisions/<uuid:decision_id>/edit/"],
        lambda world, context, user: {
            "decision_type": "visa",
            "decision_maker": "migration_department",
            "served_on": "2024-03-04",
        },
    ),
    **dict.fromkeys(
        ["/cases/<uuid:case_id>/notes/new/", "/cases/<uuid:case_id>/notes/<uuid:note_id>/edit/"],
        lambda world, context, user: {"body": "Matrix note, corrected"},
    ),
    # A colleague of organisation A who is not yet a member of the case the context names.
    "/cases/<uuid:case_id>/members/": lambda world, context, user: {
        "user": str((world.strangers["case"] if context == "own" else world.users["caseworker"]).pk)
    },
    "/cases/<uuid:case_id>/members/<uuid:user_id>/remove/": lambda world, context, user: {},
    "/org/<slug:organisation>/users/<uuid:user_id>/role/": lambda world, context, user: {"role": "viewer"},
    "/org/<slug:organisation>/users/<uuid:user_id>/cases/": lambda world, context, user: {
        "reference": world.cases[context].reference
    },
    "/org/<slug:organisation>/users/<uuid:user_id>/cases/<uuid:case_id>/remove/": lambda world, context, user: {},
    "/org/<slug:organisation>/policy/": lambda world, context, user: {
        "totp_roles": ["caseworker", "viewer"],
        "disclosure_threshold": "6",
        "closed_case_retention_days": "1825",
        "intake_retention_days": "60",
    },
    "/org/<slug:organisation>/invitations/new/": lambda world, context, user: {
        "email": f"matrix-{uuid.uuid4().hex[:8]}@example.org",
        "role": "caseworker",
    },
    "/org/<slug:organisation>/invitations/<uuid:invitation_id>/withdraw/": lambda world, context, user: {},
    "/org/join/account/": lambda world, context, user: {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    "/org/<slug:organisation>/retention/": lambda world, context, user: {"confirm": "on"},
    "/org/<slug:organisation>/users/<uuid:user_id>/factor-reset/": lambda world, context, user: {
        "reason": "lost",
        "confirm": "on",
    },
    "/org/<slug:organisation>/users/<uuid:user_id>/revoke/": lambda world, context, user: {
        "reason": "left",
        "confirm": "on",
    },
    "/org/<slug:organisation>/users/<uuid:user_id>/device-seized/": lambda world, context, user: {"confirm": "on"},
    **dict.fromkeys(
        [
            "/org/<slug:organisation>/security/resets/<uuid:reset_id>/approve/",
            "/org/<slug:organisation>/security/resets/<uuid:reset_id>/refuse/",
            "/org/<slug:organisation>/security/resets/<uuid:reset_id>/withdraw/",
        ],
        lambda world, context, user: {},
    ),
    "/intake/<uuid:submission_id>/reply/": lambda world, context, user: {"body": "Matrix reply"},
    "/intake/<uuid:submission_id>/discard/": lambda world, context, user: {"reason": "Matrix: not for us"},
    "/intake/<uuid:submission_id>/convert/": lambda world, context, user: {
        "given_name": "Матрыца",
        "risk": "high",
        "situations": "summons_issued",
        "situations_year": "2024",
    },
    **dict.fromkeys(
        ["/cases/<uuid:case_id>/statuses/new/", "/cases/<uuid:case_id>/statuses/<uuid:status_id>/edit/"],
        lambda world, context, user: {
            "person": str(world.persons[context].pk),
            "kind": "residence",
            "status": "refugee",
            "started_on": "2024-01-01",
            "current": "on",
        },
    ),
}


def post_data(route: Route, world: World, context: str, user: User | None) -> dict[str, Any]:
    if route.key in POST_DATA:
        return POST_DATA[route.key](world, context, user)
    if route.key.startswith("/admin/") and route.key.endswith("/delete/"):
        return {"post": "yes"}
    if route.key.startswith("/admin/") and route.key.endswith(("/add/", "/change/")):
        return {"name": "Renamed", "slug": "renamed", "country": "LT"}
    raise AssertionError(f"POST {route.key}: no valid data in POST_DATA of {Path(__file__).name}")


# ---------------------------------------------------------------------------------------------
# What a response means


# A redirect to one of these serves nothing: sign in, prove it is you again, or (the Django admin's
# way of turning away a non-operator from its logout, or anyone from a missing object) its index.
REFUSAL_ROUTE_NAMES = ("account_login", "account_reauthenticate", "mfa_reauthenticate", "admin:login", "admin:index")
# Routes whose success is a redirect to the login page: they are judged by whether the session ended.
SIGN_OUT_ROUTES = frozenset({"/accounts/security/sign-out-everywhere/"})


def outcome(response: Any) -> str:
    """allow, deny, or what went wrong."""
    if response.status_code in (401, 403, 404, 405):  # 401: the API, which takes tokens, not sessions
        return "deny"
    if 300 <= response.status_code < 400:
        target = urlsplit(response["Location"]).path
        return "deny" if target in {reverse(name) for name in REFUSAL_ROUTE_NAMES} else "allow"
    if 200 <= response.status_code < 300:
        return "allow"
    return f"unexpected status {response.status_code}"


def row_counts() -> dict[str, int]:
    """Rows per table (one query), bookkeeping tables left out."""
    tables = [
        name
        for name in connection.introspection.table_names()
        if not name.startswith(BOOKKEEPING_TABLE_PREFIXES) and not name.startswith("sqlite_")
    ]
    quote = connection.ops.quote_name
    select = ", ".join(f"(SELECT COUNT(*) FROM {quote(name)})" for name in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {select}")  # nosec B608: table names from the database's own catalogue
        return dict(zip(tables, cursor.fetchone(), strict=True))


# ---------------------------------------------------------------------------------------------
# The tests

TABLE = load_table()
ROUTES = all_routes()


def test_every_route_is_in_the_table():
    missing = [route.key for route in ROUTES if (route.key, "GET") not in TABLE]
    assert not missing, (
        f"routes missing from {TABLE_PATH.name} (add one line each: route, GET, then a cell per role "
        f"{' '.join(ROLES)}):\n" + "\n".join(f"  {key}" for key in missing)
    )


def test_the_table_lists_no_route_that_does_not_exist():
    known = {route.key for route in ROUTES}
    stale = sorted({f"{key} ({method}, line {row.line})" for (key, method), row in TABLE.items() if key not in known})
    assert not stale, f"{TABLE_PATH.name} lists routes the resolver does not know:\n  " + "\n  ".join(stale)


def test_every_parameter_has_a_filler():
    unfilled = sorted(
        {f"{name} in {route.key}" for route in ROUTES for name in route.parameters if name not in PARAMETERS}
    )
    assert not unfilled, "add these URL parameters to PARAMETERS:\n  " + "\n  ".join(unfilled)


def test_a_missing_cell_is_a_deny_and_a_bad_cell_is_refused(tmp_path):
    table_file = tmp_path / "matrix.txt"
    table_file.write_text("/x/  GET  y  own,case  # the other roles have no cell\n", encoding="utf-8")
    row = load_table(table_file)["/x/", "GET"]
    assert row.allows("anonymous", "none") and row.allows("org_admin", "case")
    assert not row.allows("org_admin", "org")
    assert not any(row.allows(role, context) for role in ROLES[2:] for context in (*CONTEXTS, "none"))
    table_file.write_text("/x/  GET  maybe\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"matrix\.txt:1"):
        load_table(table_file)


def test_every_role_signs_in_with_a_second_factor(world, db):
    """The premise of every cell: each role's client reaches the home page (not an MFA gate)."""
    for role, user in world.users.items():
        response = signed_in_client(user, world.authenticators[user]).get("/home/")
        assert response.status_code == 200, f"{role}: {response.status_code} {response.get('Location', '')}"


CELLS = [
    pytest.param(route, method, role, id=f"{method} {route.key} {role}")
    for route in ROUTES
    for method in METHODS
    if (route.key, method) in TABLE or (method == "GET")
    for role in ROLES
]


@pytest.mark.parametrize(("route", "method", "role"), CELLS)
def test_cell(world, db, route: Route, method: str, role: str):
    expectation = TABLE.get((route.key, method))
    if expectation is None:
        pytest.fail(f"{route.key} is not in {TABLE_PATH.name}")
    user = world.users.get(role)
    cache.clear()  # rate limits (allauth's, axes') count per test, not across the whole matrix
    client = world.clients[role]
    if user is not None:
        # Again before each cell: the clients are made once for the module, and on a loaded machine the
        # whole matrix takes longer than the re-authentication window.
        reauthenticated(client)
    signed_in_cookies = SimpleCookie(client.cookies)
    failures = []
    for context in contexts_of(route):
        values = {name: PARAMETERS[name](route, world, context, user) for name in route.parameters}
        path = concrete_path(route, values)
        before = row_counts()
        with transaction.atomic():
            if method == "GET":
                response = client.get(path)
            else:
                response = client.post(path, post_data(route, world, context, user))
            after = row_counts()
            got = outcome(response)
            if route.key in SIGN_OUT_ROUTES and method == "POST" and user is not None and got == "deny":
                got = "allow" if outcome(client.get("/home/")) == "deny" else "deny: still signed in"
            transaction.set_rollback(True)
        client.cookies = SimpleCookie(signed_in_cookies)  # the session as it was: the request's writes are undone
        expected = "allow" if expectation.allows(role, context) else "deny"
        where = f"{method} {path} as {role}" + ("" if context == "none" else f" ({context} context)")
        if got != expected:
            failures.append(f"{where}: expected {expected}, got {got} [{response.status_code}]")
        if expected == "deny":
            changed = {name: (before[name], after[name]) for name in before if before[name] != after.get(name)}
            if changed:
                failures.append(f"{where}: denied, yet rows changed {changed}")
    assert not failures, f"{TABLE_PATH.name}:{expectation.line}\n" + "\n".join(failures)
