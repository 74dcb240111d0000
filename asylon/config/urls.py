"""URL map (DESIGN.md, "URLs"): UI routes under i18n_patterns without a prefix for English."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from asylon.common import views as common_views

urlpatterns = [
    path("healthz", common_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
urlpatterns += i18n_patterns(
    path("", common_views.root, name="root"),
    path("home/", common_views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    prefix_default_language=False,
)
