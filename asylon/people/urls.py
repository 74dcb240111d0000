"""Routes under /people/: each views module owns its patterns; this file only gathers them."""

from asylon.people.views import consents, detail, duplicates, gdpr, person_forms, relatives, search, service

app_name = "people"
urlpatterns = [
    *search.urlpatterns,
    *person_forms.urlpatterns,
    *detail.urlpatterns,
    *service.urlpatterns,
    *relatives.urlpatterns,
    *consents.urlpatterns,
    *duplicates.urlpatterns,
    *gdpr.urlpatterns,
]
