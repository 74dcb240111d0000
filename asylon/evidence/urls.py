"""Routes for documents and sources, mounted under /cases/ beside the case pages."""

from asylon.evidence import views

app_name = "evidence"
urlpatterns = [*views.urlpatterns]
