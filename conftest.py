"""Suite-wide pytest configuration: database selection markers, shared fixtures, a clean language per test."""

from __future__ import annotations

import os

import pytest

ON_POSTGRES = bool(os.environ.get("ASYLON_TEST_DATABASE_URL"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`sqlite_only` tests run once (in the SQLite run); `postgres_only` tests only on PostgreSQL."""
    for item in items:
        if ON_POSTGRES and item.get_closest_marker("sqlite_only"):
            item.add_marker(pytest.mark.skip(reason="runs in the SQLite run only"))
        if not ON_POSTGRES and item.get_closest_marker("postgres_only"):
            item.add_marker(pytest.mark.skip(reason="needs ASYLON_TEST_DATABASE_URL (PostgreSQL)"))


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts and ends in English: a request to /lt/... leaves its language active in the
    thread, and reverse() in a later test would otherwise build /lt/ URLs."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: cached vocabulary choices and rate-limit counters of one
    test (whose rows were rolled back) must not reach the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def organisation(db):
    from tests.factories import OrganisationFactory

    return OrganisationFactory()


@pytest.fixture
def org_admin(organisation):
    from asylon.accounts.models import Role
    from tests.factories import staff

    return staff(organisation, Role.ORG_ADMIN)


@pytest.fixture
def caseworker(organisation):
    from tests.factories import staff

    return staff(organisation)


@pytest.fixture
def lawyer(organisation):
    from asylon.accounts.models import Role
    from tests.factories import staff

    return staff(organisation, Role.LAWYER)


@pytest.fixture
def analyst(organisation):
    from asylon.accounts.models import Role
    from tests.factories import staff

    return staff(organisation, Role.ANALYST)


@pytest.fixture
def case(organisation, caseworker, lawyer):
    """A case whose members are the caseworker and the lawyer."""
    from tests.factories import case_with_member

    return case_with_member(organisation, caseworker, lawyer)


@pytest.fixture
def outsider(db):
    """A caseworker of another organisation."""
    from tests.factories import OrganisationFactory, staff

    return staff(OrganisationFactory())
