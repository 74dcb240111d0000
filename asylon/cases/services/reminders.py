"""Daily reminder emails: a count of what is due and a link to the dashboard, nothing else.

An email leaves the organisation's control (mail servers, phones, shoulders), so it names no
person, case reference or case detail: only how many deadlines and tasks are due within
ASYLON_REMINDER_DAYS days (overdue ones included) and the dashboard's address. One email per user
per day: a run that repeats on the same day finds the day's `reminder.send` audit entry and skips.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from asylon.audit import services as audit
from asylon.audit.models import AuditEntry
from asylon.cases.selectors_work import ReminderCounts, reminder_counts, users_with_work_due

logger = logging.getLogger(__name__)
ACTION = "reminder.send"


def dashboard_url() -> str:
    """The dashboard's absolute address (in the default language, which has no URL prefix)."""
    with translation.override(settings.LANGUAGE_CODE):
        return f"{settings.ASYLON_BASE_URL}{reverse('home')}"


def reminded_on(*, user: Any, day: datetime.date) -> bool:
    """Whether the user was already sent a reminder on `day` (local time)."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return AuditEntry.objects.filter(
        action=ACTION,
        target_type=user._meta.label_lower,
        target_id=str(user.pk),
        created_at__gte=start,
        created_at__lt=start + datetime.timedelta(days=1),
    ).exists()


def reminder_message(*, counts: ReminderCounts, horizon_days: int) -> tuple[str, str]:
    """The subject and body of a reminder, in the active language: counts and a link only."""
    context = {
        "deadlines": counts.deadlines,
        "overdue": counts.overdue_deadlines,
        "tasks": counts.tasks,
        "total": counts.total,
        "days": horizon_days,
        "dashboard_url": dashboard_url(),
    }
    subject = render_to_string("cases/email/reminder_subject.txt", context)
    body = render_to_string("cases/email/reminder_body.txt", context)
    return " ".join(subject.split()), body


def reminder_send(*, user: Any, today: datetime.date, horizon_days: int) -> ReminderCounts | None:
    """Email one user the counts of their work due, unless nothing is due or they were reminded today."""
    counts = reminder_counts(user=user, today=today, horizon_days=horizon_days)
    if counts.total == 0:
        return None
    with transaction.atomic():
        if reminded_on(user=user, day=today):
            return None
        # Audited first, in the same transaction: if sending fails, the entry rolls back with it and
        # the next run tries again; a reminder that went out always has its entry.
        audit.record(
            actor=None,
            action=ACTION,
            target=user,
            details={
                "deadlines": counts.deadlines,
                "overdue_deadlines": counts.overdue_deadlines,
                "tasks": counts.tasks,
                "horizon_days": horizon_days,
            },
            remote_address=None,
        )
        with translation.override(settings.LANGUAGE_CODE):
            subject, body = reminder_message(counts=counts, horizon_days=horizon_days)
        send_mail(subject, body, None, [user.email])
    return counts


def reminders_send(*, today: datetime.date | None = None, horizon_days: int | None = None) -> int:
    """Send the day's reminders to every active user with work due; returns how many were sent."""
    today = today or timezone.localdate()
    horizon_days = settings.ASYLON_REMINDER_DAYS if horizon_days is None else horizon_days
    if horizon_days <= 0:
        return 0
    sent = 0
    until = today + datetime.timedelta(days=horizon_days)
    for user in users_with_work_due(until=until).iterator():
        try:
            if reminder_send(user=user, today=today, horizon_days=horizon_days) is not None:
                sent += 1
        except Exception:  # one unreachable mailbox must not stop the others' reminders
            logger.exception("reminder to user %s failed", user.pk)
    logger.info("sent %d reminders", sent)
    return sent
