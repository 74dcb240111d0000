"""Routes of /imports/ and /exports/ (mounted at the root: each views module's patterns carry their own
prefix); each views module owns its patterns, this file only gathers them."""

from asylon.ops.views import exports, imports, retention

app_name = "ops"
urlpatterns = [
    *imports.urlpatterns,
    *exports.urlpatterns,
    *retention.urlpatterns,  # /org/<organisation>/retention/, beside the console's own /org/ pages
]
