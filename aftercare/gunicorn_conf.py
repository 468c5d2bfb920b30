"""Gunicorn's settings for Aftercare:  gunicorn -c python:aftercare.gunicorn_conf aftercare.wsgi

Everything can be changed from the environment: AFTERCARE_BIND (default 127.0.0.1:8000, behind
a proxy on the same host), WEB_CONCURRENCY (workers, default 2 x cores + 1), GUNICORN_TIMEOUT.
Sync workers: each request holds a worker for its duration, which suits short database-bound
pages, and a request that hangs is killed after the timeout instead of piling up.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
from pathlib import Path

bind = os.environ.get("AFTERCARE_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
# A worker is replaced after this many requests, so slow memory growth cannot accumulate.
max_requests = 2000
max_requests_jitter = 200
# The settings (and their refusal of an insecure configuration) load once, in the master,
# before any worker starts: a bad configuration stops the server at once, not in a loop.
preload_app = True
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proxy_allow_ips = forwarded_allow_ips
pidfile = os.environ.get("GUNICORN_PIDFILE") or None
# Gunicorn 25+ opens a control socket in the home directory by default; two servers on one
# machine would fight over it, and nothing here uses it.
control_socket_disable = True

# The application logs one JSON line per request (aftercare.core.metrics) with its request id;
# gunicorn's access log would repeat it and include query strings, which can hold a name.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "aftercare.core.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stdout",
        },
        "error_console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        },
    },
    "root": {"level": "WARNING", "handlers": ["console"]},
    "loggers": {
        "gunicorn.error": {
            "handlers": ["error_console"],
            "level": loglevel.upper(),
            "propagate": False,
        },
        "gunicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
    },
}

# Prometheus: each worker writes its numbers to files here and /metrics adds them up. Must be
# set before prometheus_client is imported, i.e. before the application is loaded.
_metrics_dir = Path(
    os.environ.setdefault(
        "PROMETHEUS_MULTIPROC_DIR",
        str(Path(tempfile.gettempdir()) / f"aftercare-prometheus-{bind.rsplit(':', 1)[-1]}"),
    )
)


def on_starting(server):
    """Start the metrics from zero: files left by a previous master would be added in."""
    shutil.rmtree(_metrics_dir, ignore_errors=True)
    _metrics_dir.mkdir(parents=True, exist_ok=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
