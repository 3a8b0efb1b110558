"""How a lecture hall is served: the settings table of ``hpo-race serve`` and its gunicorn.

gunicorn's default *sync* workers serve one request at a time: measured on a 2-core machine,
four students looping heavy requests made everyone else's page load wait ~55 s, and a client
that trickled its request froze a worker until ``--timeout`` killed it.
Threaded workers (``gthread``) keep serving page loads and races while some threads are busy
(p95 0.52 s under the same load). Workers and threads are sized from the CPU count; the
timeout is far above the longest request the app accepts (every request's work is bounded:
README "Limits"), so a healthy worker is never killed mid-race.

Each setting a teacher may change is declared once here, with its default, its bound and its
environment variable (``HPO_RACE_BIND``, ``HPO_RACE_WORKERS``, ``HPO_RACE_THREADS``); the
command line (app/cli.py) builds its flags and their checks from this table, and checks the
result cache once in the master before any worker starts. Every worker opens the same result
cache (``HPO_RACE_CACHE_DIR``, ``app.result_store``) and runs heavy computations on its own
small pool (``HPO_RACE_HEAVY_SLOTS``, ``app.heavy``); with ``HPO_RACE_REDIS_URL`` set,
several machines running this share one cache on that Redis server and send heavy
computations to its job queue (``app.redis_hall``, ``app.hall_worker``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from gunicorn.app.base import BaseApplication

#: A hall's students reach the server over the network: every interface.
DEFAULT_HOST = "0.0.0.0"
DEFAULT_PORT = 8050
ENV_BIND = "HPO_RACE_BIND"
MAX_PORT = 65535


@dataclass(frozen=True)
class Count:
    """A whole-number setting of the hall: its flag, environment variable, default, bound."""

    name: str
    env: str
    default: int
    high: int
    help: str

    @property
    def flag(self) -> str:
        """Its command-line flag (``--workers``)."""
        return f"--{self.name}"

    def parse(self, text: str) -> int:
        """``text`` as a count from 1 to ``high``, or a ValueError saying what it must be."""
        try:
            value = int(text)
        except ValueError:
            value = 0
        if not 1 <= value <= self.high:
            raise ValueError(f"must be a whole number from 1 to {self.high}, got {text!r}")
        return value


#: The counts a hall may change (gunicorn's ``workers`` and ``threads``).
COUNTS = (
    Count(
        "workers",
        "HPO_RACE_WORKERS",
        # one per core, at least two, so one can restart while the other serves
        max(2, os.cpu_count() or 1),
        64,
        "worker processes (one per core, at least two)",
    ),
    # page loads are I/O-light and quick; heavy requests are bounded (app/heavy.py)
    Count("threads", "HPO_RACE_THREADS", 8, 64, "threads per worker"),
)
#: What a hall never changes.
FIXED: dict[str, Any] = {
    "worker_class": "gthread",
    "timeout": 120,  # far above the longest a bounded request may take (app/work_limits.py)
    "graceful_timeout": 30,
    "keepalive": 5,
    "control_socket_disable": True,  # gunicorn 27 would otherwise write ~/.gunicorn/gunicorn.ctl
}


def port_number(text: str) -> int:
    """A TCP port from 1 to 65535, or a ValueError saying why not."""
    try:
        port = int(text)
    except ValueError:
        raise ValueError(f"invalid port {text!r}") from None
    if not 1 <= port <= MAX_PORT:
        raise ValueError(f"port must be 1-{MAX_PORT}, got {port}")
    return port


def _bind(text: str) -> tuple[str, int]:
    """``HOST:PORT`` (an IPv6 host in brackets) as (host, port), or a ValueError."""
    host, colon, port_text = text.rpartition(":")
    if not colon or not host:
        raise ValueError(f"must be HOST:PORT, got {text!r}")
    return host.removeprefix("[").removesuffix("]"), port_number(port_text)


def hall_values(environ: Mapping[str, str], given: Mapping[str, Any]) -> dict[str, Any]:
    """Host, port and every count: as ``given`` (the flags), else as the environment says,
    else the table's defaults. A nonsense variable that is used is a ValueError naming it."""
    values: dict[str, Any] = {"host": DEFAULT_HOST, "port": DEFAULT_PORT}
    bind = environ.get(ENV_BIND)
    if bind is not None and not {"host", "port"} <= given.keys():
        try:
            values["host"], values["port"] = _bind(bind)
        except ValueError as exc:
            raise ValueError(f"{ENV_BIND} {exc}") from None
    for count in COUNTS:
        text = environ.get(count.env)
        try:
            values[count.name] = count.default if text is None else count.parse(text)
        except ValueError as exc:
            if count.name not in given:
                raise ValueError(f"{count.env} {exc}") from None
    return {**values, **given}


def gunicorn_settings(values: Mapping[str, Any]) -> dict[str, Any]:
    """Every gunicorn setting of a hall from ``hall_values``, for ``HallServer`` (an IPv6
    host gets brackets)."""
    host = f"[{values['host']}]" if ":" in values["host"] else values["host"]
    counts = {count.name: values[count.name] for count in COUNTS}
    return {"bind": [f"{host}:{values['port']}"], **counts, **FIXED}


class HallServer(BaseApplication):
    """gunicorn, run in this process with ``settings`` (no command line or config file of its
    own is read), each worker serving the WSGI app that ``load`` builds after the fork."""

    def __init__(self, settings: Mapping[str, Any], load: Callable[[], Any]) -> None:
        self._settings = dict(settings)
        self._load = load
        super().__init__(prog="hpo-race serve")

    def load_config(self) -> None:
        """gunicorn's hook: the hall's settings, and nothing from argv or a config file."""
        for name, value in self._settings.items():
            self.cfg.set(name, value)

    def load(self) -> Any:
        """gunicorn's hook, in each worker: the app it serves."""
        return self._load()
