# The Celery app (kbio/celery.py) is loaded by the jobs app when Django starts
# (kbio/jobs/apps.py), not here: importing any kbio module, such as the matching engine or
# the scheduler, must not pull in Celery and Django. `celery -A kbio` finds kbio.celery itself.
