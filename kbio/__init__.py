# The Celery app loads with Django, so that tasks started by the web process use its settings.
from .celery import app as celery_app

__all__ = ("celery_app",)
