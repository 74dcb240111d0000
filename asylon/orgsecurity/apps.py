from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgSecurityConfig(AppConfig):
    name = "asylon.orgsecurity"
    label = "orgsecurity"
    verbose_name = _("Organisation security")
