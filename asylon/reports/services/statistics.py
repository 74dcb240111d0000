"""Releasing statistics: every figure that reaches a page, a report, a CSV, a chart or an open-data
file is counted, checked against earlier releases, protected and recorded here, in one transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from asylon.accounts.models import OrgPolicy
from asylon.accounts.permissions import require
from asylon.audit import services as audit
from asylon.reports.statistics.aggregates import QuestionError, count_table, validate
from asylon.reports.statistics.differencing import ledger_record, near_releases, published_keys, suppressed_keys
from asylon.reports.statistics.disclosure import Unprotectable, counts_by_population, populations, protect
from asylon.reports.statistics.questions import Question
from asylon.reports.statistics.tables import DisclosureRule, ProtectedTable

DEFAULT_THRESHOLD = 5
MAX_ROUNDING_BASE = 100


class DisclosureRefused(ValueError):
    """A query refused because its answer, beside an earlier one, would single out a few people."""


def disclosure_rule_for(organisation: Any, rounding_base: int | None = None) -> DisclosureRule:
    """The organisation's rule: its threshold k (OrgPolicy, default 5) and the rounding asked for."""
    threshold = (
        OrgPolicy.objects.filter(organisation=organisation).values_list("disclosure_threshold", flat=True).first()
    )
    return DisclosureRule(threshold=max(threshold or DEFAULT_THRESHOLD, 1), rounding_base=rounding_base)


@transaction.atomic
def statistics_release(
    *, actor: Any, organisation: Any, question: Question, rounding_base: int | None = None
) -> ProtectedTable:
    """Count a question's table, refuse it if it differs from an earlier release by fewer than k people,
    protect it, and record what was suppressed and released."""
    require(actor, "reports.view_statistics", organisation)
    # One release of the organisation at a time: a concurrent one could pass the differencing check
    # before this one is in the ledger. (The audit entry at the end serialises writers anyway.)
    list(OrgPolicy.objects.select_for_update().filter(organisation=organisation).values_list("pk"))
    validate(question)
    if rounding_base is not None and not 1 <= rounding_base <= MAX_ROUNDING_BASE:
        raise QuestionError(_("Rounding must be to a whole number from 1 to %(max)d.") % {"max": MAX_ROUNDING_BASE})
    rule = disclosure_rule_for(organisation, rounding_base)
    table = count_table(organisation=organisation, question=question)
    # The ledger is read for this table's own populations only: it grows with every release.
    counts = counts_by_population(table)
    try:
        protected = protect(
            table,
            rule=rule,
            already_suppressed=suppressed_keys(organisation=organisation, among=counts),
            already_published=published_keys(organisation=organisation, among=counts),
        )
    except Unprotectable:
        raise DisclosureRefused(
            _(
                "Beside figures published earlier, this table would show a group of fewer than %(k)d people "
                "whatever else were hidden. Choose another breakdown or period."
            )
            % {"k": rule.threshold}
        ) from None
    if table.total and near_releases(
        organisation=organisation,
        question=question,
        count=table.total,
        threshold=rule.threshold,
        published=not protected.total.suppressed,
        own={shown.key: not value.suppressed for shown, value in populations(protected)},
    ):
        raise DisclosureRefused(
            _(
                "This selection differs from one published earlier by fewer than %(k)d people, so together "
                "they could single someone out. Widen or narrow the selection (period, countries) further."
            )
            % {"k": rule.threshold}
        )
    ledger_record(organisation=organisation, table=protected, counts=counts)
    audit.record(
        actor=actor,
        action="statistics.release",
        organisation=organisation,
        details={
            "question": question.key,
            "measure": question.measure,
            "by": list(question.by),
            "threshold": rule.threshold,
            "rounding_base": rule.rounding_base,
            "suppressed": sum(value.suppressed for value in [*protected.cells.values(), protected.total]),
        },
    )
    return protected
