"""Background jobs (Celery): the organizers' long work and every e-mail. See kbio/jobs/models.py."""


def in_process() -> bool:
    """True when jobs run in the process that starts them (no broker: `make run`, the tests)."""
    from kbio.celery import app

    return bool(app.conf.task_always_eager)
