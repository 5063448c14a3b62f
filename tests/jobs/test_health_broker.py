"""/health/ checks the job queue's broker when one is configured: 200 with "broker": "ok" when
Redis answers, 503 naming the broker when it does not; without a broker (jobs in-process) there
is nothing to check."""

import socket

import pytest
from kombu import pools

from kbio.celery import app

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_at():
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}

    def reset():
        app.amqp._producer_pool = None
        if app._pool is not None:
            app._pool.force_close_all()
            app._pool = None
        pools.reset()

    def use(url: str) -> None:
        reset()
        app.conf.update(broker_url=url, task_always_eager=False)

    yield use
    reset()
    app.conf.update(saved)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_in_process_jobs_have_no_broker_to_check(client):
    assert "broker" not in client.get("/health/").json()["checks"]


def test_broker_up(client, broker_at):
    broker_at("redis://127.0.0.1:6379/15")
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == "ok"


def test_broker_down(client, broker_at):
    broker_at(f"redis://127.0.0.1:{closed_port()}/0")
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["down"] == ["broker"]
    assert response.json()["checks"]["broker"] == "down"
    assert response.json()["checks"]["database"] == "ok"
