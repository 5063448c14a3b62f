from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "kbio.jobs"
    verbose_name = _("Background jobs")

    def ready(self):
        # Tasks started by the web process use this app and Django's CELERY_* settings.
        from kbio.celery import app  # noqa: F401
