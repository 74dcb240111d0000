"""Routes of /reports/ and /statistics/ (mounted at the root: each views module's patterns carry their
own prefix); each views module owns its patterns, this file only gathers them."""

from asylon.reports.views import figures, reports, statistics

app_name = "reports"
urlpatterns = [
    *reports.urlpatterns,
    *figures.urlpatterns,
    *statistics.urlpatterns,
]
