import pytest

from asylon.intake import abuse


@pytest.fixture(autouse=True)
def fresh_limits():
    """Each test counts under a new daily key (the suite empties the cache, the intake tests give each its media)."""
    abuse.forget_keys()
