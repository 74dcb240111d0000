"""Routes under /intake/ (staff triage); the views module owns its patterns."""

from asylon.intake.views import triage

app_name = "intake_triage"
urlpatterns = [*triage.urlpatterns]
