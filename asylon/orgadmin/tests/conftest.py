import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from django.test import Client

from tests.factories import sign_in


def reauthenticated(client: Client) -> Client:
    """Mark the signed-in session as re-authenticated a moment ago (as allauth's reauthenticate page does)."""
    session = client.session
    records = session[AUTHENTICATION_METHODS_SESSION_KEY]
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [*records, {**records[-1], "reauthenticated": True}]
    session.save()
    return client


@pytest.fixture
def admin_client(org_admin) -> Client:
    """The organisation admin, signed in with a second factor and re-authenticated."""
    return reauthenticated(sign_in(Client(), org_admin))
