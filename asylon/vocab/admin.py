"""Operators' admin for instance-wide reference data: vocabularies, terms, legal rules."""

from django.contrib import admin

from asylon.vocab.models import LegalRule, Term, Vocabulary


@admin.register(Vocabulary)
class VocabularyAdmin(admin.ModelAdmin):
    list_display = ("code", "organisation")


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ("code", "vocabulary", "huridocs_code", "organisation", "active")
    list_filter = ("vocabulary",)
    search_fields = ("code",)


@admin.register(LegalRule)
class LegalRuleAdmin(admin.ModelAdmin):
    list_display = ("code", "jurisdiction", "period_value", "period_unit", "verification_status")
