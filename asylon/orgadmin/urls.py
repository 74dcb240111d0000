"""The organisation admin console under /org/ (docs/orgadmin.md); each views module lists its own urlpatterns."""

from asylon.orgadmin import views, views_invitations, views_policy, views_security

app_name = "orgadmin"

urlpatterns = [
    *views.urlpatterns,
    *views_policy.urlpatterns,
    *views_security.urlpatterns,
    *views_invitations.urlpatterns,  # last: its join/<key>/ is one segment after /org/
]
