"""Staff identities, organisations, memberships with a role, organisation policy and API tokens."""

from __future__ import annotations

import uuid
from typing import Any

import rules
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from asylon.common.models import OrganisationOwned, UUIDModel


class Role(models.TextChoices):
    ORG_ADMIN = "org_admin", _("organisation admin")
    CASEWORKER = "caseworker", _("caseworker")
    LAWYER = "lawyer", _("lawyer")
    ANALYST = "analyst", _("analyst")
    VIEWER = "viewer", _("viewer")
    AUDITOR = "auditor", _("auditor")


class Organisation(UUIDModel):
    """A tenant: every personal-data row belongs to exactly one organisation."""

    name = models.CharField(pgettext_lazy("organisation", "name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    country = models.CharField(_("country"), max_length=2, default="LT", help_text=_("ISO 3166-1 alpha-2"))

    def __str__(self) -> str:
        return self.slug


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A staff account, instance-wide; its organisations and roles come from Membership."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    must_change_password = models.BooleanField(
        default=False, help_text=_("Set for one-time passwords: the next login must choose a new one.")
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []  # type: ignore[misc]
    objects = UserManager()  # type: ignore[misc,assignment]

    def __str__(self) -> str:
        return f"user:{self.pk}"

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        """Object permissions come from the organisation role and case membership alone (the `rules`
        predicates `require` uses): Django would grant a superuser every one, and instance operators
        are superusers who read no casework. Model permissions (the operators' admin) are Django's."""
        if obj is not None:
            return bool(self.is_active and rules.has_perm(perm, self, obj))
        return super().has_perm(perm, obj)


class Membership(UUIDModel):
    """A user's role in one organisation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")]


def default_mfa_methods() -> dict[str, list[str]]:
    """Passkeys only for admins and lawyers; passkeys or TOTP for everyone else."""
    return {
        Role.ORG_ADMIN: ["webauthn"],
        Role.LAWYER: ["webauthn"],
        Role.CASEWORKER: ["webauthn", "totp"],
        Role.ANALYST: ["webauthn", "totp"],
        Role.VIEWER: ["webauthn", "totp"],
        Role.AUDITOR: ["webauthn", "totp"],
    }


class OrgPolicy(OrganisationOwned):
    """Per-organisation rules: second factors per role, disclosure threshold, retention."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="policy")
    mfa_methods = models.JSONField(_("second factors allowed per role"), default=default_mfa_methods)
    disclosure_threshold = models.PositiveSmallIntegerField(
        _("disclosure threshold k"), default=5, help_text=_("Published counts below k are suppressed.")
    )
    closed_case_retention_days = models.PositiveIntegerField(_("keep closed cases (days)"), default=5 * 365)
    intake_retention_days = models.PositiveIntegerField(_("keep untriaged intake (days)"), default=90)


class ApiTokenScope(models.TextChoices):
    READ = "read", _("read")
    WRITE = "write", _("read and write")


class ApiToken(OrganisationOwned):
    """A per-organisation API token; only its SHA-256 digest is stored, the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    label = models.CharField(_("label"), max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    scope = models.CharField(_("scope"), max_length=10, choices=ApiTokenScope.choices, default=ApiTokenScope.READ)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)


class Invitation(OrganisationOwned):
    """A one-time link that lets a new colleague choose a password and join an organisation with a role.

    Only the SHA-256 digest of the link's secret is stored; the link is shown once to the admin who
    invited. It expires, and it is spent when accepted or withdrawn (docs/orgadmin.md).
    """

    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "-created_at"], name="invitation_org_newest")]
