"""A small case file for the export tests: two cases of one organisation (members differ), every kind
of record on the first, a privileged note, a cited source, and text that a spreadsheet would run."""

from __future__ import annotations

import datetime
import io
import zipfile
from dataclasses import dataclass
from typing import Any

import pyrage
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from pyrage import passphrase as age_passphrase
from pyrage import ssh, x25519

from asylon.accounts.models import Role
from asylon.cases.models import Intervention, Note
from asylon.evidence.models import Source
from tests.factories import (
    case_with_member,
    decision_on,
    event_on,
    person_on_case,
    proceeding_on,
    staff,
    status_on,
    term_of,
)

FORMULA = "=cmd|' /C calc'!A0"
PASSPHRASE = "seven random words make it long"


@dataclass
class CaseFile:
    organisation: Any
    users: dict[str, Any]
    own: Any  # the members' case
    other: Any  # a case of the same organisation none of them is a member of
    person: Any
    event: Any
    decision: Any
    source: Any


@pytest.fixture
def casefile(organisation) -> CaseFile:
    users = {role: staff(organisation, role) for role in Role.values}
    members = [user for role, user in users.items() if role != Role.ORG_ADMIN]
    own = case_with_member(organisation, *members)
    own.summary = FORMULA
    own.opened_on = datetime.date(2024, 3, 1)
    own.save()
    other = case_with_member(organisation)
    other.opened_on = datetime.date(2022, 6, 1)
    other.save()
    person_on_case(other, given_name="Other", family_name="Client")
    person = person_on_case(own, given_name="Сяргей", family_name="+SUM(A1:A9)", birth_year=1995, citizenship="BY")
    event = event_on(own, person, "arrest", 2023, 5, description="@SUM(1+1)*cmd|' /C calc'!A0")
    source = Source.objects.create(organisation=organisation, title="-2+3 Report", publisher="Viasna")
    event.sources.set([source])
    grounds = ("national_security_threat_unspecified",)
    decision = decision_on(own, "residence_permit_temporary", event=event, outcome="refuse", grounds=grounds)
    proceeding_on(own, decision=decision, outcome="refuse", lodged_year=2024)
    status_on(own, person, "residence", "temp_resident", start=(2023, 1))
    Intervention.objects.create(
        organisation=organisation,
        case=own,
        intervention_type=term_of("intervention_type", "letter_to_authority"),
        carried_out_on=datetime.date(2024, 4, 2),
        description="\tTab first",
    )
    Note.objects.create(organisation=organisation, case=own, body="Open note")
    Note.objects.create(organisation=organisation, case=own, body="Privileged advice", privileged=True)
    return CaseFile(organisation, users, own, other, person, event, decision, source)


@pytest.fixture(scope="session")
def age_identity() -> x25519.Identity:
    return x25519.Identity.generate()


@pytest.fixture(scope="session")
def ssh_key() -> tuple[str, bytes]:
    """An ed25519 SSH key pair: the public line and the private key in OpenSSH's format."""
    key = ed25519.Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()
    )
    return public.decode(), private


def opened(content: bytes, identity: Any = None, passphrase: str = "") -> bytes:
    """The plaintext of an age file."""
    if passphrase:
        return age_passphrase.decrypt(content, passphrase)
    return pyrage.decrypt(content, [identity])


def unzipped(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


__all__ = ["FORMULA", "PASSPHRASE", "CaseFile", "opened", "ssh", "unzipped"]
