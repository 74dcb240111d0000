"""Public sources only: documents hold personal data and are not registered here."""

from django.contrib import admin

from asylon.evidence.models import Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("title", "publisher", "published_on", "organisation")
