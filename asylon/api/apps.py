from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "asylon.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from asylon.api import schema  # noqa: F401  registers the bearer scheme with drf-spectacular
