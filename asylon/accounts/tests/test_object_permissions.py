"""Object permissions come from roles and memberships only: an instance operator (a superuser) holds none."""

import pytest

from asylon.accounts.models import User
from tests.factories import case_with_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator():
    return User.objects.create_superuser("operator@example.org", "a-long-operator-password")


@pytest.mark.parametrize(
    "permission", ["ops.import_records", "ops.export_csv", "reports.view_statistics", "accounts.manage_organisation"]
)
def test_an_operator_holds_no_organisation_permission(operator, organisation, permission):
    assert not operator.has_perm(permission, organisation)


def test_an_operator_holds_no_case_permission(operator, organisation, caseworker):
    case = case_with_member(organisation, caseworker)
    assert not operator.has_perm("cases.view_case", case)
    assert caseworker.has_perm("cases.view_case", case)


def test_an_operator_keeps_the_model_permissions_of_the_admin(operator):
    assert operator.has_perm("vocab.change_term")


def test_a_deactivated_member_holds_nothing(organisation, caseworker):
    case = case_with_member(organisation, caseworker)
    caseworker.is_active = False
    assert not caseworker.has_perm("cases.view_case", case)
