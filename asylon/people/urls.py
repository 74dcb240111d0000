"""Routes under /people/."""

from asylon.people import views

app_name = "people"
urlpatterns = [
    *views.urlpatterns,
]
