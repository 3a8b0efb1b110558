"""gunicorn settings for a lecture hall (README "Serving it"):

    gunicorn -c python:hpo_race.app.hall 'hpo_race.app:server'

gunicorn's default *sync* workers serve one request at a time: measured on a 2-core machine,
four students looping heavy requests made everyone else's page load wait ~55 s, and a client
that trickled its request froze a worker until ``--timeout`` killed it.
Threaded workers (``gthread``) keep serving page loads and races while some threads are busy
(p95 0.52 s under the same load). Workers and threads are sized from the CPU count; the
timeout is far above the longest request the app accepts (every request's work is bounded:
README "Limits"), so a healthy worker is never killed mid-race. ``HPO_RACE_BIND`` (default
``0.0.0.0:8050``), ``HPO_RACE_WORKERS`` and ``HPO_RACE_THREADS`` override the defaults.
Every worker opens the same result cache (``HPO_RACE_CACHE_DIR``, ``app.result_store``) and
runs heavy computations on its own small pool (``HPO_RACE_HEAVY_SLOTS``, ``app.heavy``); with
``HPO_RACE_REDIS_URL`` set, several machines running this share one cache on that Redis server
and send heavy computations to its job queue (``app.redis_hall``, ``app.hall_worker``).
"""

from __future__ import annotations

import os
from typing import Any

from hpo_race.app.result_store import open_store

#: One worker process per core (at least two, so one can restart while the other serves).
DEFAULT_WORKERS = max(2, os.cpu_count() or 1)
#: Threads per worker: page loads are I/O-light and quick; heavy requests are bounded.
DEFAULT_THREADS = 8


def _count(name: str, default: int, high: int) -> int:
    """A positive whole number from the environment, or a one-line error naming it."""
    text = os.environ.get(name)
    if text is None:
        return default
    try:
        value = int(text)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number from 1 to {high}, got {text!r}") from None
    if not 1 <= value <= high:
        raise SystemExit(f"{name} must be a whole number from 1 to {high}, got {value}")
    return value


bind = [os.environ.get("HPO_RACE_BIND", "0.0.0.0:8050")]
worker_class = "gthread"
workers = _count("HPO_RACE_WORKERS", DEFAULT_WORKERS, 64)
threads = _count("HPO_RACE_THREADS", DEFAULT_THREADS, 64)
timeout = 120
graceful_timeout = 30
keepalive = 5
control_socket_disable = True  # gunicorn 27 would otherwise write ~/.gunicorn/gunicorn.ctl


def on_starting(server: Any) -> None:
    """gunicorn's hook, in the master before any worker: open the result cache once, so a
    bad ``HPO_RACE_CACHE_DIR`` or an unreachable ``HPO_RACE_REDIS_URL`` stops gunicorn with
    its one line instead of every worker failing to boot, again and again."""
    open_store().close()
