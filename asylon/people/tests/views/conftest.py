import pytest

from asylon.accounts.models import Role
from asylon.people.services import military_service_add, person_create
from tests.factories import staff


@pytest.fixture
def person(case, caseworker):
    return person_create(
        actor=caseworker,
        case=case,
        given_name="Сяргей",
        family_name="Іваноў",
        citizenship="BY",
        birth_year=1994,
        identifiers=[{"type": "passport", "country": "BY", "number": "MP1234567"}],
        contacts=[{"kind": "phone", "value": "+370 600 12345"}],
    )


@pytest.fixture
def period(person, lawyer):
    return military_service_add(
        actor=lawyer,
        person=person,
        service_type="conscript",
        start_year=2012,
        unit="Вайсковая частка 5448",
        rank="Яфрэйтар",
    )


@pytest.fixture
def viewer(organisation, case):
    user = staff(organisation, Role.VIEWER)
    case.memberships.create(organisation=organisation, user=user)
    return user
