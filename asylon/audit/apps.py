from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "asylon.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from auditlog.signals import pre_log
        from django.contrib import admin

        from asylon.audit import signals  # noqa: F401 - connects the login receivers
        from asylon.audit.capture import register_models, skip_service_writes
        from asylon.audit.models import CapturedChange

        register_models()
        pre_log.connect(skip_service_writes, dispatch_uid="asylon.audit.skip_service_writes")
        if admin.site.is_registered(CapturedChange):  # auditlog's admin: there is no table to browse
            admin.site.unregister(CapturedChange)
