"""The dated status histories of DOMAIN.md: residence, procedure, liberty and document."""

from __future__ import annotations

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class StatusKind(models.TextChoices):
    RESIDENCE = "residence", _("residence")
    PROCEDURE = "procedure", _("procedure")
    LIBERTY = "liberty", _("liberty")
    DOCUMENT = "document", _("identity document")


STATUS_VALUES: dict[str, dict[str, str | Promise]] = {
    StatusKind.RESIDENCE: {
        "citizen": _("citizen"),
        "temp_resident": _("temporary resident"),
        "perm_resident": _("permanent resident"),
        "visa_holder": _("visa holder"),
        "asylum_applicant": _("asylum applicant"),
        "refugee": _("refugee"),
        "subsidiary_protection": _("subsidiary protection"),
        "irregular": _("irregular stay"),
        "banned_from_entry": _("banned from entry"),
        "left_country": _("left the country"),
    },
    StatusKind.PROCEDURE: {
        "pre_filing": _("before filing"),
        "first_instance_pending": _("first instance pending"),
        "appeal_window_open": _("appeal window open"),
        "appeal_pending_tier1": _("appeal pending (first tier)"),
        "appeal_pending_tier2": _("appeal pending (second tier)"),
        "final_negative": _("final negative"),
        "final_positive": _("final positive"),
        "international_pending": _("international body pending"),
    },
    StatusKind.LIBERTY: {
        "free": _("free"),
        "restricted_movement": _("restricted movement"),
        "detained_administrative": _("administrative detention"),
        "detained_criminal": _("criminal detention"),
        "in_hiding": _("in hiding"),
        "deported": _("deported"),
        "imprisoned_in_origin": _("imprisoned in the country of origin"),
    },
    StatusKind.DOCUMENT: {
        "passport_valid": _("valid passport"),
        "passport_expired": _("expired passport"),
        "passport_expiring_lt_6m": _("passport expiring within 6 months"),
        "travel_document": _("travel document"),
        "no_document": _("no document"),
    },
}

DETAINED = ("detained_administrative", "detained_criminal")
