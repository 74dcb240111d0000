"""URL map (DESIGN.md, "URLs"): UI routes under i18n_patterns without a prefix for English."""

from allauth.account.decorators import secure_admin_login
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from asylon.cases.views import dashboard
from asylon.common import views as common_views

# The admin signs in through allauth, with the same second factor (docs/security/authentication.md).
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("healthz", common_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("asylon.api.urls")),
]
urlpatterns += i18n_patterns(
    path("", common_views.root, name="root"),
    path("home/", dashboard.dashboard, name="home"),
    path("accounts/", include("asylon.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("cases/", include("asylon.cases.urls")),
    path("cases/", include("asylon.evidence.urls")),
    path("people/", include("asylon.people.urls")),
    path("audit/", include("asylon.audit.urls")),
    path("help/", include("asylon.intake.urls_public")),
    path("intake/", include("asylon.intake.urls_triage")),
    path("org/", include("asylon.orgadmin.urls")),
    path("", include("asylon.ops.urls")),  # /imports/, /exports/
    path("", include("asylon.reports.urls")),  # /reports/, /statistics/
    prefix_default_language=False,
)
