from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgAdminConfig(AppConfig):
    name = "asylon.orgadmin"
    label = "orgadmin"
    verbose_name = _("Organisation admin console")
