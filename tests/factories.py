"""Factories for tests: organisations, staff with roles, cases with members, persons on cases."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from allauth.mfa.models import Authenticator
from django.test import Client

from asylon.accounts.models import Membership, Organisation, OrgPolicy, Role, User
from asylon.cases.models import Case, CaseMembership, CaseParty
from asylon.people.models import Person

TEST_PASSWORD = "correct horse battery staple 42"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Test Organisation {n}")
    slug = factory.Sequence(lambda n: f"test-org-{n}")
    country = "LT"
    policy = factory.RelatedFactory("tests.factories.OrgPolicyFactory", factory_related_name="organisation")


class OrgPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgPolicy

    organisation = factory.SubFactory(OrganisationFactory, policy=None)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"staff{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.save()


def staff(organisation: Organisation, role: str = Role.CASEWORKER, **fields: Any) -> User:
    """A staff user with a role in an organisation."""
    user = UserFactory(**fields)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # base32, for tests only


def enrol_second_factor(user: User, kind: str = "") -> Authenticator:
    """Give the user a second factor their policy allows: TOTP when allowed (a known secret), else a passkey.

    The passkey is a well-formed registration of a throwaway key (allauth's pages render it); no
    browser holds the private key, so it cannot sign in. Browser tests enrol real ones (e2e/).
    """
    from allauth.mfa.totp.internal.auth import TOTP

    from asylon.accounts.mfa import TOTP as TOTP_METHOD
    from asylon.accounts.mfa import mfa_methods_allowed

    kind = kind or (TOTP_METHOD if TOTP_METHOD in mfa_methods_allowed(user) else Authenticator.Type.WEBAUTHN)
    if kind == Authenticator.Type.TOTP:
        return TOTP.activate(user, TEST_TOTP_SECRET).instance
    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.WEBAUTHN, data={"name": "test passkey", "credential": passkey_registration()}
    )


def passkey_registration(rp_id: str = "testserver") -> dict[str, Any]:
    """A WebAuthn registration response ("none" attestation) for a freshly generated P-256 key."""
    import hashlib
    import os

    from cryptography.hazmat.primitives.asymmetric import ec
    from fido2.cose import ES256
    from fido2.webauthn import (
        Aaguid,
        AttestationObject,
        AttestedCredentialData,
        AuthenticatorAttestationResponse,
        AuthenticatorData,
        CollectedClientData,
        RegistrationResponse,
    )

    credential_id = os.urandom(16)
    public_key = ES256.from_cryptography_key(ec.generate_private_key(ec.SECP256R1()).public_key())
    auth_data = AuthenticatorData.create(
        hashlib.sha256(rp_id.encode()).digest(),
        AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.AT,
        0,
        AttestedCredentialData.create(Aaguid.NONE, credential_id, public_key),
    )
    client_data = CollectedClientData.create(type="webauthn.create", challenge=os.urandom(32), origin=f"http://{rp_id}")
    response = AuthenticatorAttestationResponse(
        client_data=client_data, attestation_object=AttestationObject.create("none", auth_data, {})
    )
    return dict(RegistrationResponse(raw_id=credential_id, response=response))


def sign_in(client: Client, user: User, authenticator: Authenticator | None = None) -> Client:
    """Sign the client in as allauth does after password and second factor (MFAEnrolmentMiddleware passes).

    Enrols a second factor first when the user has none; `client.force_login` alone is signed out again.
    """
    import time

    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY

    if authenticator is None:
        authenticator = Authenticator.objects.filter(user=user).exclude(type="recovery_codes").first()
    if authenticator is None:
        authenticator = enrol_second_factor(user)
    client.force_login(user)
    session = client.session
    now = time.time()
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "id": authenticator.pk, "type": authenticator.type},
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client


def reauthenticated(client: Client, *, seconds_ago: float = 0) -> Client:
    """Mark the signed-in session re-authenticated `seconds_ago` (as allauth's re-authentication page does);
    an earlier mark is replaced."""
    import time

    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY

    session = client.session
    signed_in = [record for record in session[AUTHENTICATION_METHODS_SESSION_KEY] if not record.get("reauthenticated")]
    mark = {**signed_in[0], "at": time.time() - seconds_ago, "reauthenticated": True}
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [*signed_in, mark]
    session.save()
    return client


def signed_in(client: Client, user: User, *, reauthenticated_seconds_ago: float | None = 1) -> Client:
    """Sign the client in and, unless None, mark the session re-authenticated that many seconds ago."""
    sign_in(client, user)
    if reauthenticated_seconds_ago is not None:
        reauthenticated(client, seconds_ago=reauthenticated_seconds_ago)
    return client


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    organisation = factory.SubFactory(OrganisationFactory)
    reference = factory.Sequence(lambda n: f"T-{n:05d}")
    opened_on = datetime.date(2024, 1, 15)
    summary = "Synthetic test case"


def case_with_member(organisation: Organisation, *members: User) -> Case:
    """A case of the organisation whose members are the given users."""
    case = CaseFactory(organisation=organisation)
    for user in members:
        CaseMembership.objects.create(organisation=organisation, case=case, user=user)
    return case


def person_on_case(case: Case, **fields: Any) -> Person:
    """A person saved directly (not through a service) as a client of the case."""
    person = Person(organisation=case.organisation, **{"given_name": "Тэст", "family_name": "Тэставы", **fields})
    person.save()
    CaseParty.objects.create(organisation=case.organisation, case=case, person=person)
    return person


def term_of(vocabulary: str, code: str) -> Any:
    """An instance term of the reference data (loaded by migration) by vocabulary and code."""
    from asylon.vocab.models import Term

    return Term.objects.get(vocabulary__code=vocabulary, code=code, organisation__isnull=True)


def event_on(case: Case, person: Person | None, event_type: str, year: int, month: int | None = None, **fields: Any):
    """An event saved directly (statistics tests): coarse clear fields as given, the exact date encrypted."""
    from asylon.cases.models import Event

    return Event.objects.create(
        organisation=case.organisation,
        case=case,
        person=person,
        event_type=term_of("event_type", event_type),
        occurred_on=datetime.date(year, month or 1, 1),
        date_precision="month" if month else "year",
        year=year,
        month=month,
        **{"country": "LT", **fields},
    )


def decision_on(
    case: Case,
    decision_type: str,
    *,
    event: Any = None,
    maker: str = "migration_department",
    outcome: str = "",
    grounds: tuple[str, ...] = (),
    served: tuple[int | None, int | None] | None = None,
):
    """A decision saved directly, optionally with its event, outcome and grounds cited."""
    from asylon.cases.models import Decision

    if served is None:
        served = (event.year, event.month) if event is not None else (None, None)
    year, month = served
    decision = Decision.objects.create(
        organisation=case.organisation,
        case=case,
        event=event,
        decision_type=term_of("decision_type", decision_type),
        decision_maker=term_of("decision_maker", maker),
        outcome=term_of("decision_outcome", outcome) if outcome else None,
        served_year=year,
        served_month=month,
    )
    decision.grounds.set([term_of("grounds", code) for code in grounds])
    return decision


def proceeding_on(
    case: Case,
    *,
    decision: Any = None,
    tier: str = "appeal_tier1",
    court: str = "regional_admin_court",
    outcome: str = "",
    lodged_year: int | None = None,
):
    """A proceeding (appeal) saved directly, with the outcome code when decided."""
    from asylon.cases.models import Proceeding

    return Proceeding.objects.create(
        organisation=case.organisation,
        case=case,
        decision=decision,
        tier=tier,
        court=term_of("decision_maker", court),
        outcome=term_of("decision_outcome", outcome) if outcome else None,
        lodged_year=lodged_year,
    )


def status_on(
    case: Case, person: Person, kind: str, status: str, *, start: tuple[int, int | None], days: int | None = None
):
    """A status period saved directly with its clear start year/month and duration in days."""
    from asylon.cases.models import StatusPeriod

    return StatusPeriod.objects.create(
        organisation=case.organisation,
        case=case,
        person=person,
        kind=kind,
        status=status,
        start_year=start[0],
        start_month=start[1],
        duration_days=days,
        current=days is None,
    )
