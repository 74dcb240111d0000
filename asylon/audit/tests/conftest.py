import pytest
from django.db import connection


@pytest.fixture
def chain(organisation):
    """Eight entries through `record`, the way services append them."""
    from asylon.audit.services import record

    return [
        record(actor=None, action=f"test.step{number}", target=organisation, details={"step": number})
        for number in range(1, 9)
    ]


@pytest.fixture
def sql():
    """Run raw SQL against the audit table, as an adversary holding the database would."""

    def run(statement, params=()):
        with connection.cursor() as cursor:
            cursor.execute(statement, params)

    return run
