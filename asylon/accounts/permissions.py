"""Who may do what: organisation role plus CaseMembership, enforced by `require` in every service.

Permissions are `rules` predicates over (user, object). The object is the organisation for
organisation-wide actions (creating a case, managing vocabularies) and the record itself otherwise;
case-scoped records (events, decisions, notes, ...) are judged by their case, persons by the cases
they are party to.
"""

from __future__ import annotations

from typing import Any

import rules
from django.core.exceptions import PermissionDenied
from django.db import models

from asylon.accounts.models import Membership, Organisation, Role

ROLE_CACHE = "_asylon_roles"
CASE_READERS = (Role.ORG_ADMIN, Role.CASEWORKER, Role.LAWYER, Role.VIEWER, Role.AUDITOR)
CASE_WRITERS = (Role.ORG_ADMIN, Role.CASEWORKER, Role.LAWYER)


def organisation_of(obj: Any) -> Organisation | None:
    """The organisation an object belongs to (None for instance-wide reference data)."""
    if isinstance(obj, Organisation):
        return obj
    return getattr(obj, "organisation", None)


def role_in(user: Any, organisation: Organisation | None) -> str | None:
    """The user's role in an organisation, cached on the user object for the request."""
    if organisation is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    roles = user.__dict__.get(ROLE_CACHE)
    if roles is None:
        roles = dict(Membership.objects.filter(user=user).values_list("organisation_id", "role"))
        user.__dict__[ROLE_CACHE] = roles
    return roles.get(organisation.pk)


def forget_roles(user: Any) -> None:
    """Drop the cached roles after a membership change."""
    user.__dict__.pop(ROLE_CACHE, None)


def has_role(*allowed: str) -> rules.Predicate:
    @rules.predicate(name=f"has_role({','.join(allowed)})")
    def predicate(user: Any, obj: Any) -> bool:
        return role_in(user, organisation_of(obj)) in allowed

    return predicate


@rules.predicate
def is_org_admin(user: Any, obj: Any) -> bool:
    return role_in(user, organisation_of(obj)) == Role.ORG_ADMIN


@rules.predicate
def is_case_member(user: Any, obj: Any) -> bool:
    from asylon.cases.models import Case, CaseMembership
    from asylon.people.models import Person

    if obj is None or not getattr(user, "is_authenticated", False):
        return False
    if isinstance(obj, Person):
        return CaseMembership.objects.filter(user=user, case__parties__person=obj).exists()
    case = obj if isinstance(obj, Case) else getattr(obj, "case", None)
    if case is None:
        return False
    return CaseMembership.objects.filter(user=user, case=case).exists()


can_read_case = is_org_admin | (has_role(*CASE_READERS) & is_case_member)
can_write_case = is_org_admin | (has_role(*CASE_WRITERS) & is_case_member)
can_create_in_org = has_role(*CASE_WRITERS)

for _app, _model in [
    ("cases", "case"),
    ("cases", "caseparty"),
    ("cases", "event"),
    ("cases", "decision"),
    ("cases", "intervention"),
    ("cases", "deadline"),
    ("cases", "task"),
    ("cases", "statusperiod"),
    ("cases", "note"),
    ("people", "person"),
    ("people", "militaryserviceperiod"),
    ("people", "relationship"),
    ("people", "consentrecord"),
    ("evidence", "document"),
]:
    rules.add_perm(f"{_app}.view_{_model}", can_read_case)
    rules.add_perm(f"{_app}.change_{_model}", can_write_case)

rules.add_perm("cases.add_case", can_create_in_org)
rules.add_perm("people.add_person", can_create_in_org)
rules.add_perm("cases.manage_casemembership", is_org_admin)
# Proceedings and privileged notes are for lawyers (DESIGN.md, roles).
rules.add_perm("cases.view_proceeding", can_read_case)
rules.add_perm("cases.change_proceeding", is_org_admin | (has_role(Role.LAWYER) & is_case_member))
rules.add_perm("cases.view_privileged_note", has_role(Role.LAWYER) & is_case_member)
rules.add_perm("cases.add_privileged_note", has_role(Role.LAWYER) & is_case_member)
rules.add_perm("vocab.change_term", is_org_admin)
rules.add_perm("vocab.change_legalrule", is_org_admin)
rules.add_perm("evidence.change_source", can_create_in_org)


@rules.predicate
def cleared_for_content(user: Any, obj: Any) -> bool:
    """The user's clearance reaches CONFIDENTIAL, the level of a document's content (docs/security/documents.md)."""
    from asylon.accounts.clearance import Level, clearance_of

    clearance = clearance_of(user, obj) if obj is not None else None
    return clearance is not None and clearance >= Level.CONFIDENTIAL


# Reading a document's file, not just its record: viewers and auditors see the record only.
rules.add_perm("evidence.download_document", can_read_case & cleared_for_content)
rules.add_perm("reports.view_statistics", has_role(Role.ORG_ADMIN, Role.ANALYST, Role.CASEWORKER, Role.LAWYER))
rules.add_perm("reports.change_report", has_role(Role.ORG_ADMIN, Role.ANALYST))
rules.add_perm("audit.view_auditentry", has_role(Role.ORG_ADMIN, Role.AUDITOR))
rules.add_perm("accounts.manage_organisation", is_org_admin)
# Data in and out (docs/import.md, docs/exports.md). Exports hold only what the exporter may read;
# the formats meant for other systems (HURIDOCS ESF, Uwazi) carry whole case files, so admins only.
rules.add_perm("ops.import_records", can_create_in_org)
rules.add_perm("ops.export_csv", has_role(*CASE_WRITERS))
rules.add_perm("ops.export_xlsx", has_role(*CASE_WRITERS))
rules.add_perm("ops.export_json", has_role(*CASE_WRITERS))
rules.add_perm("ops.export_esf", is_org_admin)
rules.add_perm("ops.export_uwazi", is_org_admin)
# Merging two records changes both: the actor must be able to write each of them.
rules.add_perm("people.merge_person", can_write_case)
# GDPR duties (docs/gdpr.md): the organisation as controller answers access requests and erases, through its admins.
rules.add_perm("people.erase_person", is_org_admin)
rules.add_perm("cases.erase_case", is_org_admin)
rules.add_perm("people.export_subject_access", is_org_admin)
# Retention (docs/gdpr.md, "Retention"): its admins see what the schedule will erase and may run it early.
rules.add_perm("ops.run_retention", is_org_admin)
# Any member may hold a read token; a write token needs a role that may write (checked in the service).
rules.add_perm("accounts.add_apitoken", has_role(*Role.values))
# Public intake triage (DESIGN.md: caseworkers do intake triage); analysts, viewers and auditors never see it.
rules.add_perm("intake.view_intakesubmission", has_role(*CASE_WRITERS))
rules.add_perm("intake.change_intakesubmission", has_role(*CASE_WRITERS))


def require(actor: Any, permission: str, obj: models.Model | None) -> None:
    """Raise PermissionDenied unless `actor` holds `permission` on `obj`."""
    if not rules.has_perm(permission, actor, obj):
        raise PermissionDenied(permission)
