"""The Celery app of K-Bio Partnering: `celery -A kbio worker` and `celery -A kbio beat`.

Its settings are Django's `CELERY_*` settings (kbio/settings.py). With no `CELERY_BROKER_URL`
(`make run`, `make test`), every job runs in-process, at once, in the request that starts it.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kbio.settings")

app = Celery("kbio")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
