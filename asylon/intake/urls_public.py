"""Routes under /help/ (the public intake); the views module owns its patterns."""

from asylon.intake.views import public

app_name = "intake"
urlpatterns = [*public.urlpatterns]
