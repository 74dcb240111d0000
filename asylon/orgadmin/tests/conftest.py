import pytest
from django.test import Client

from tests.factories import reauthenticated, sign_in


@pytest.fixture
def admin_client(org_admin) -> Client:
    """The organisation admin, signed in with a second factor and re-authenticated."""
    return reauthenticated(sign_in(Client(), org_admin))
