"""Synthetic help-form submissions for `asylon demo`: fictional people, a fixed seed, through the public service."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from asylon.accounts.models import Organisation
from asylon.intake.services.submissions import public_message_add, submission_create

# Fictional: no real person, address or contact. (language, name, contact, situations, days to a deadline, text)
DEMO_SUBMISSIONS: tuple[tuple[str, str, str, list[str], int | None, str], ...] = (
    (
        "be",
        "Янка Вымышлены",
        "Signal: @yanka.demo",
        ["summons_issued"],
        9,
        "Маці атрымала позву на маё імя. Я ў Вільні з 2022 года. Што рабіць?",
    ),
    (
        "ru",
        "Пётр (псевдоним)",
        "email: petr.demo@example.org",
        ["temp_residence_refused"],
        25,
        "Мне отказали в продлении временного вида на жительство, решение вручили вчера.",
    ),
    (
        "en",
        "A. Example",
        "phone via a friend: +000 000 000",
        ["detention"],
        None,
        "My brother was taken to the foreigners' registration centre this morning.",
    ),
    (
        "uk",
        "Оксана Тестова",
        "Telegram: @oksana_demo",
        ["declared_national_security_threat", "temp_residence_refused"],
        5,
        "Мене визнали загрозою національній безпеці, дозвіл на проживання анульовано.",
    ),
    (
        "lt",
        "Demo Asmuo",
        "",
        ["criminal_case_opened"],
        None,
        "Baltarusijoje prieš mane iškelta baudžiamoji byla; bijau grįžti.",
    ),
)


def demo_submissions_load(*, organisation: Organisation, seed: int) -> list[str]:
    """Submit the demo submissions (some with a follow-up message); return their codenames for the output."""
    # Fictional demo data, not secrets: a seeded generator keeps the demo the same on every load.
    chooser = random.Random(seed)  # noqa: S311  # nosec B311
    today = timezone.localdate()
    codenames = []
    for language, name, contact, situations, days, text in DEMO_SUBMISSIONS:
        deadline = today + datetime.timedelta(days=days) if days is not None else None
        submission, codename = submission_create(
            organisation=organisation,
            language=language,
            name=name,
            contact=contact,
            situations=situations,
            deadline_on=deadline,
            text=text,
            files=[],
        )
        if chooser.random() < 0.4:
            public_message_add(submission=submission, body="Demo: a follow-up sent from the status page.", files=[])
        codenames.append(codename)
    return codenames
