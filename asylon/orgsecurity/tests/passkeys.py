"""A software passkey for tests without a browser: registers with allauth and signs its login
challenges, so a test can prove that a passkey signs in, and that it no longer does after revocation."""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

from allauth.mfa.models import Authenticator
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import Client
from django.urls import reverse
from fido2.cose import ES256
from fido2.utils import websafe_decode
from fido2.webauthn import (
    Aaguid,
    AttestationObject,
    AttestedCredentialData,
    AuthenticationResponse,
    AuthenticatorAssertionResponse,
    AuthenticatorAttestationResponse,
    AuthenticatorData,
    CollectedClientData,
    RegistrationResponse,
)

RP_ID = "testserver"  # Django's test client host: allauth takes the relying party from the request
ORIGIN = f"http://{RP_ID}"


class SoftPasskey:
    """A resident (passwordless) P-256 credential held in memory."""

    def __init__(self) -> None:
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(16)
        self.sign_count = 0

    def enrol(self, user: Any) -> Authenticator:
        """Store the credential as allauth does after a passkey registration."""
        public_key = ES256.from_cryptography_key(self.private_key.public_key())
        auth_data = AuthenticatorData.create(
            hashlib.sha256(RP_ID.encode()).digest(),
            AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.UV | AuthenticatorData.FLAG.AT,
            0,
            AttestedCredentialData.create(Aaguid.NONE, self.credential_id, public_key),
        )
        client_data = CollectedClientData.create(type="webauthn.create", challenge=os.urandom(32), origin=ORIGIN)
        response = AuthenticatorAttestationResponse(
            client_data=client_data, attestation_object=AttestationObject.create("none", auth_data, {})
        )
        credential = dict(RegistrationResponse(raw_id=self.credential_id, response=response))
        return Authenticator.objects.create(
            user=user,
            type=Authenticator.Type.WEBAUTHN,
            data={"name": "soft passkey", "credential": credential, "passwordless": True},
        )

    def assertion(self, challenge: bytes, user: Any) -> dict[str, Any]:
        """The browser's answer to a login challenge, signed with the credential's key."""
        self.sign_count += 1
        auth_data = AuthenticatorData.create(
            hashlib.sha256(RP_ID.encode()).digest(),
            AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.UV,
            self.sign_count,
        )
        client_data = CollectedClientData.create(type="webauthn.get", challenge=challenge, origin=ORIGIN)
        signature = self.private_key.sign(auth_data + client_data.hash, ec.ECDSA(hashes.SHA256()))
        response = AuthenticatorAssertionResponse(
            client_data=client_data,
            authenticator_data=auth_data,
            signature=signature,
            user_handle=str(user.pk).encode(),
        )
        return dict(AuthenticationResponse(raw_id=self.credential_id, response=response))

    def sign_in(self, client: Client, user: Any) -> Any:
        """Passwordless sign-in through allauth's passkey login: fetch a challenge, post the signed answer."""
        url = reverse("mfa_login_webauthn")
        options = client.get(url, HTTP_X_REQUESTED_WITH="XMLHttpRequest").json()["request_options"]
        challenge = websafe_decode(options["publicKey"]["challenge"])
        return client.post(url, {"credential": json.dumps(self.assertion(challenge, user))})


def signed_in(client: Client) -> bool:
    """Whether the client's session holds a signed-in user."""
    return "_auth_user_id" in client.session
