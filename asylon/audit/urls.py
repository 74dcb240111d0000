"""The auditor's pages under /audit/."""

from django.urls import path

from asylon.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.entry_list, name="entry_list"),
    path("checkpoints/", views.checkpoint_list, name="checkpoint_list"),
    path("checkpoints/<uuid:checkpoint_id>/download", views.checkpoint_download, name="checkpoint_download"),
]
