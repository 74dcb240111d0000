from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "asylon.common"
    label = "common"
