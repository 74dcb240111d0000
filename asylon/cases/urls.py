"""Routes under /cases/: each views module owns its patterns; this file only gathers them."""

from asylon.cases.views import (
    case_forms,
    decisions,
    detail,
    events,
    interventions,
    listing,
    members,
    notes,
    proceedings,
    statuses,
    summary,
    work,
)

app_name = "cases"
urlpatterns = [
    *listing.urlpatterns,
    *case_forms.urlpatterns,
    *detail.urlpatterns,
    *summary.urlpatterns,
    *proceedings.urlpatterns,
    *interventions.urlpatterns,
    *statuses.urlpatterns,
    *work.urlpatterns,
    *events.urlpatterns,
    *decisions.urlpatterns,
    *notes.urlpatterns,
    *members.urlpatterns,
]
