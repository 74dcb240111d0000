from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VocabConfig(AppConfig):
    name = "asylon.vocab"
    label = "vocab"
    verbose_name = _("Vocabularies")
