"""Synthetic casework for the browser journeys, the accessibility scan and the screenshots.

Every name is fictional (Belarusian, Russian and Ukrainian clients; Lithuanian staff). Choices that
vary use a fixed seed, so the screenshots come out the same from run to run; dates are relative to
today, so the dashboard always has deadlines to show. Everything is written through the services,
as the forms would (blind indexes, audit entries, computed deadlines).
"""

from __future__ import annotations

import datetime
import io
import random
from dataclasses import dataclass, field
from typing import Any

from asylon.accounts.models import Role
from asylon.cases.models import Case, Decision, PartyRole
from asylon.cases.services.case import case_member_add, case_open, case_update
from asylon.cases.services.decisions import decision_record
from asylon.cases.services.events import event_record
from asylon.cases.services.interventions import intervention_record
from asylon.cases.services.notes import note_add
from asylon.cases.services.statuses import status_period_record
from asylon.cases.services.work import task_create
from asylon.evidence.models import Document
from asylon.evidence.services.documents import document_store
from asylon.people.models import Person
from asylon.people.services import consent_record, military_service_add, person_create, relationship_add
from tests.factories import OrganisationFactory, staff

SEED = 20260426

# The client the journeys look for, and the Latin spelling a caseworker would type.
CLIENT_NAME = ("Сяргей", "Іваноў")
CLIENT_LATIN = "Siarhei Ivanou"

OTHER_CLIENTS = [
    ("Аляксандр", "Казлоў", "BY"),
    ("Дзмітрый", "Навумчык", "BY"),
    ("Алесь", "Каваленка", "BY"),
    ("Андрэй", "Лукашэвіч", "BY"),
    ("Максим", "Соколов", "RU"),
    ("Илья", "Воробьёв", "RU"),
    ("Юрій", "Бондаренко", "UA"),
    ("Тарас", "Мельник", "UA"),
]
OTHER_EVENTS = [
    "summons_issued",
    "criminal_case_opened",
    "questionnaire_submitted",
    "visa_refused",
    "entry_ban_imposed",
]


@dataclass
class Casework:
    """What the builder made: the staff, the main case and its client, and the other cases."""

    organisation: Any
    caseworker: Any
    lawyer: Any
    org_admin: Any
    case: Case
    client: Person
    relative: Person | None = None
    decision: Decision | None = None
    document: Document | None = None
    other_cases: list[Case] = field(default_factory=list)


def png_bytes(seed: int = SEED, size: tuple[int, int] = (64, 48), *, author: str = "") -> bytes:
    """A small PNG (a scanned-letter stand-in) with deterministic pixels; with an author, a text chunk naming them."""
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    rng = random.Random(seed)  # noqa: S311 # nosec B311 (synthetic pixels, not secrets)
    image = Image.new("RGB", size, (250, 250, 245))
    for y in range(6, size[1] - 6, 6):
        for x in range(6, rng.randint(size[0] // 2, size[0] - 6)):
            image.putpixel((x, y), (40, 40, 60))
    buffer = io.BytesIO()
    info = PngInfo()
    if author:
        info.add_text("Author", author)
    image.save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


def staff_members(organisation: Any = None) -> tuple[Any, Any, Any, Any]:
    """The organisation and its caseworker, lawyer and admin (Lithuanian display names)."""
    organisation = organisation or OrganisationFactory(name="Vilnius Objectors' Aid (fictional)")
    caseworker = staff(organisation, Role.CASEWORKER, display_name="Rūta Žemaitytė")
    lawyer = staff(organisation, Role.LAWYER, display_name="Tomas Petrauskas")
    org_admin = staff(organisation, Role.ORG_ADMIN, display_name="Ona Kazlauskienė")
    return organisation, caseworker, lawyer, org_admin


def build_casework(*, with_decision: bool = True, with_document: bool = True, other_cases: int = 6) -> Casework:
    """The main case of Сяргей Іваноў with a full timeline, and a few other cases for the list."""
    rng = random.Random(SEED)  # noqa: S311 # nosec B311 (synthetic choices, not secrets)
    today = datetime.date.today()
    organisation, caseworker, lawyer, org_admin = staff_members()

    case = case_open(
        actor=caseworker,
        organisation=organisation,
        reference="VLN-2026-014",
        summary="Refused a temporary residence permit as a 'national security threat' after conscript service.",
        risk="high",
        opened_on=today - datetime.timedelta(days=40),
    )
    case_member_add(actor=org_admin, case=case, user=lawyer)
    client = person_create(
        actor=caseworker,
        case=case,
        given_name=CLIENT_NAME[0],
        family_name=CLIENT_NAME[1],
        patronymic="Мікалаевіч",
        name_variants=["Сергей Николаевич Иванов"],
        contacts=[{"kind": "phone", "value": "+370 600 00000"}, {"kind": "Signal", "value": "@siarhei.example"}],
        identifiers=[{"type": "passport", "country": "BY", "number": "MP0000000"}],
        biography="Conscript service 2013-2014; left Belarus in August 2021 after a summons to reserve training.",
        birth_date=datetime.date(1994, 5, 17),
        sex="male",
        citizenship="BY",
        country_of_origin="BY",
        entry_year=2021,
        languages=["be", "ru"],
        draft_evader=True,
    )
    relative = person_create(
        actor=caseworker,
        case=case,
        role=PartyRole.CO_APPLICANT,
        given_name="Вольга",
        family_name="Іванова",
        birth_date=datetime.date(1996, 2, 3),
        sex="female",
        citizenship="BY",
    )
    relationship_add(actor=caseworker, person=client, kind="spouse", relative=relative)
    military_service_add(
        actor=lawyer, person=client, service_type="conscript", start_year=2013, end_year=2014, unit="в/ч 00000"
    )
    consent_record(actor=caseworker, person=client, purpose="casework", given_on=today - datetime.timedelta(days=40))
    status_period_record(
        actor=caseworker,
        case=case,
        person=client,
        kind="residence",
        status="temp_resident",
        started_on=datetime.date(2022, 3, 1),
    )
    status_period_record(
        actor=caseworker,
        case=case,
        person=client,
        kind="liberty",
        status="free",
        started_on=datetime.date(2021, 8, 20),
    )
    event_record(
        actor=caseworker,
        case=case,
        event_type="summons_issued",
        date_precision="month",
        year=2021,
        month=7,
        person=client,
        country="BY",
        description="A paper summons left with a neighbour; the exact day is not known.",
    )
    event_record(
        actor=caseworker,
        case=case,
        event_type="criminal_case_opened",
        date_precision="year",
        year=2022,
        person=client,
        country="BY",
        description="Criminal case for evasion of call-up, learned of through relatives.",
    )
    event_record(
        actor=caseworker,
        case=case,
        event_type="questionnaire_submitted",
        date_precision="day",
        occurred_on=today - datetime.timedelta(days=60),
        person=client,
        country="LT",
        description="Filled in with the residence permit application; answers about conscript service.",
    )
    intervention_record(
        actor=caseworker,
        case=case,
        intervention_type="legal_aid_provided",
        carried_out_on=today - datetime.timedelta(days=2),
        performed_by=lawyer,
        description="First consultation on the appeal.",
    )
    decision = None
    if with_decision:
        decision = decision_record(
            actor=caseworker,
            case=case,
            decision_type="residence_permit_temporary",
            decision_maker="migration_department",
            outcome="refuse",
            grounds=["national_security_threat_unspecified", "past_compulsory_military_service"],
            # Served twelve days ago: the fourteen-day appeal period ends within the dashboard's week.
            decided_on=today - datetime.timedelta(days=14),
            served_on=today - datetime.timedelta(days=12),
            reference_number="No. 12/3-45",
        )
    task_create(
        actor=caseworker,
        case=case,
        title="Collect the service record card for the appeal",
        assignee=caseworker,
        due_on=today + datetime.timedelta(days=3),
    )
    note_add(actor=caseworker, case=case, body="Client prefers calls after 18:00; Belarusian or Russian.")
    note_add(
        actor=lawyer, case=case, body="Privileged: appeal strategy to be discussed with the client.", privileged=True
    )
    document = None
    if with_document:
        document = document_store(
            actor=caseworker,
            case=case,
            data=png_bytes(author="Сяргей Іваноў"),  # metadata the intake strips
            filename="decision-scan.png",
            content_type="image/png",
            description="Scan of the Migration Department's decision",
            person=client,
        )

    others = []
    for index, (given, family, citizenship) in enumerate(
        rng.sample(OTHER_CLIENTS, k=min(other_cases, len(OTHER_CLIENTS)))
    ):
        other = case_open(
            actor=caseworker,
            organisation=organisation,
            reference=f"VLN-2026-{index + 1:03d}",
            risk=rng.choice(["low", "medium", "high"]),
            opened_on=today - datetime.timedelta(days=rng.randint(50, 400)),
        )
        person_create(actor=caseworker, case=other, given_name=given, family_name=family, citizenship=citizenship)
        event_record(
            actor=caseworker,
            case=other,
            event_type=rng.choice(OTHER_EVENTS),
            date_precision="month",
            year=2025,
            month=rng.randint(1, 12),
        )
        if index % 3 == 2:
            case_update(actor=caseworker, case=other, status="dormant")
        others.append(other)
    return Casework(
        organisation=organisation,
        caseworker=caseworker,
        lawyer=lawyer,
        org_admin=org_admin,
        case=case,
        client=client,
        relative=relative,
        decision=decision,
        document=document,
        other_cases=others,
    )
