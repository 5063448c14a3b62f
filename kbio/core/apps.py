from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kbio.core"
    verbose_name = "K-Bio Partnering"
