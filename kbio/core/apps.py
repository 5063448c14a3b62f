from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kbio.core"
    verbose_name = "K-Bio Partnering"

    def ready(self) -> None:
        from kbio.core import pagecache

        pagecache.connect_signals()
