from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VocabConfig(AppConfig):
    name = "asylon.vocab"
    label = "vocab"
    verbose_name = _("Vocabularies")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from asylon.vocab.cache import vocabulary_changed
        from asylon.vocab.models import Term, Vocabulary

        for model in (Term, Vocabulary):
            post_save.connect(vocabulary_changed, sender=model, dispatch_uid=f"vocab-changed-save-{model.__name__}")
            post_delete.connect(vocabulary_changed, sender=model, dispatch_uid=f"vocab-changed-delete-{model.__name__}")
