"""gunicorn, as production serves the app (`make serve`; `gunicorn kbio.wsgi` reads this file).

Read from the environment:
- GUNICORN_BIND: address:port (default 127.0.0.1:8000); a proxy in front terminates TLS.
- WEB_CONCURRENCY: worker processes (default 2 per core plus one, at most 8).
- GUNICORN_TIMEOUT: seconds a request may take before its worker is restarted (default 30).
Access and error logs are JSON lines (kbio/core/logs.py) with the request id: access to
stdout, gunicorn's own messages to stderr.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * (os.cpu_count() or 1) + 1, 8)))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced now and then, so that a slow leak cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
# Load the app once before forking: a broken setting stops the start, workers share memory.
preload_app = True
wsgi_app = "kbio.wsgi:application"
# No control socket: its one default path would be shared by every server on the machine.
control_socket_disable = True
# A proxy in front (nginx, a load balancer) sets X-Forwarded-Proto; Django trusts it
# (SECURE_PROXY_SSL_HEADER). Only from these addresses:
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")


def when_ready(server):
    """Once the app is loaded and before the workers fork, build in this master process what
    each worker would otherwise build on its first requests (kbio/core/warm.py: URL patterns,
    templates, translations, the matching index): each worker, and each new one that replaces
    a retired worker (max_requests), starts with it."""
    try:
        from kbio.core.warm import warm

        built = warm()
        server.log.info("Built before forking: %s", built)
    except Exception:
        server.log.warning("Nothing was built before forking.", exc_info=True)


accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "kbio.core.logs.JsonFormatter"}},
    "handlers": {
        "access": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stdout",
        },
        "error": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        },
    },
    "loggers": {
        "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        "gunicorn.error": {"handlers": ["error"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["error"], "level": "WARNING"},
}
