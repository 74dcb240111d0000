"""The key aggregates of the statistics page and the open-data package (DOMAIN.md, the aggregates the
reports need). Each is a question in the report-directive syntax (aggregates.question_from_params);
the page's period and citizenship filters are added to it."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

RESIDENCE_DECISIONS = (
    "temp_residence_refused,temp_residence_not_extended,temp_residence_revoked,"
    "perm_residence_refused,perm_residence_revoked"
)


@dataclasses.dataclass(frozen=True)
class Entry:
    """One aggregate: a stable slug (URLs, open-data file names), a title and its question's parameters."""

    slug: str
    title: Promise
    params: Mapping[str, str]

    def question_params(self, filters: Mapping[str, str]) -> dict[str, str]:
        """The entry's parameters with the page's filters (from, to, citizenship) that are set."""
        return {**self.params, **{key: value for key, value in filters.items() if value}}


ENTRIES: tuple[Entry, ...] = (
    Entry(
        "national-security-threats",
        _("People declared a threat to national security, by year and citizenship"),
        {"measure": "event", "of": "declared_national_security_threat", "by": "year,citizenship"},
    ),
    Entry(
        "residence-refusals",
        _("Residence permits refused, not extended or revoked, by year"),
        {"measure": "event", "of": RESIDENCE_DECISIONS, "by": "year,event_type"},
    ),
    Entry(
        "visa-refusals",
        _("Visas refused or revoked, by year and citizenship"),
        {"measure": "event", "of": "visa_refused,visa_revoked", "by": "year,citizenship"},
    ),
    Entry("entry-bans", _("People banned from entry, by length of the ban"), {"measure": "entry_ban", "by": "length"}),
    Entry(
        "asylum-applications",
        _("Asylum applications lodged, by year"),
        {"measure": "event", "of": "asylum_application_lodged", "by": "year"},
    ),
    Entry(
        "asylum-outcomes",
        _("Asylum decisions, by outcome"),
        {"measure": "decision", "of": "asylum", "by": "outcome"},
    ),
    Entry(
        "appeals",
        _("Appeals, by year and result (the success rate: won of won and lost)"),
        {"measure": "appeal", "by": "year,appeal_result"},
    ),
    Entry("detentions", _("People detained, by length of detention"), {"measure": "detention", "by": "length"}),
    Entry(
        "expulsions",
        _("Expulsions and deportations, by year"),
        {"measure": "event", "of": "expulsion_or_deportation", "by": "year"},
    ),
    Entry(
        "trials-in-absentia",
        _("Trials in absentia in the country of origin, by year and citizenship"),
        {"measure": "event", "of": "trial_in_absentia", "by": "year,citizenship"},
    ),
    Entry(
        "list-inclusions",
        _('Inclusions in "extremist" or "terrorist" lists, by year'),
        {"measure": "event", "of": "added_to_extremist_list,added_to_terrorist_list", "by": "year,event_type"},
    ),
    Entry("grounds", _("Grounds cited in decisions"), {"measure": "decision", "by": "grounds"}),
    Entry(
        "military-service",
        _("People declared a threat to national security, by military service"),
        {"measure": "event", "of": "declared_national_security_threat", "by": "military_service_category"},
    ),
)
BY_SLUG: dict[str, Entry] = {entry.slug: entry for entry in ENTRIES}
