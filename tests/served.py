"""Serving the app for tests as a lecture hall would: README's ``hpo-race serve`` (gunicorn
with app/hall.py's settings) in its own process group, and for Redis mode a throwaway
redis-server and a Celery queue worker.

Shared by tests/test_gunicorn.py (the checkout's install), tests/test_installed_wheel.py
(a wheel installed into a clean venv, started from another directory) and the Redis-mode
tests (tests/test_redis_store.py, tests/test_redis_hall.py). Every process started here
runs in its own process group and is stopped, even when the test fails.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO

REDIS_MISSING = (
    "redis-server is missing: Redis mode's tests need Debian's package "
    "(`sudo apt-get install -y redis-server`, as .ci/run installs it)"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port: int, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {"Content-Type": "application/json"} if body else {}
        conn.request(method, path, body=body, headers=headers)
        reply = conn.getresponse()
        return reply.status, reply.read()
    finally:
        conn.close()


#: README's lecture-hall command ("Serving it"), as the tests run it (with their own flags).
HALL_COMMAND = ("hpo-race", "serve")
#: Longer than gunicorn's graceful timeout (app/hall.py: 30 s), so requests under way end.
HALL_GRACE = 40


def start_hall(
    bin_dir: Path, cwd: Path, env: Mapping[str, str], workers: int = 2, log: IO | None = None
) -> tuple[subprocess.Popen, int]:
    """``hpo-race serve`` from ``bin_dir`` on a free loopback port, in its own process group
    (its pid is the group's id); return it and the port once the page answers."""
    port = free_port()
    command, *args = HALL_COMMAND
    proc = subprocess.Popen(
        [str(bin_dir / command), *args, "--host", "127.0.0.1", "--port", str(port)]
        + ["--workers", str(workers)],
        cwd=cwd,
        env=dict(env),
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    try:
        wait_until(lambda: _answers(port), proc, "hpo-race serve", 90)
    except BaseException:
        stop(proc, grace=HALL_GRACE)
        raise
    return proc, port


@contextmanager
def hall_server(
    bin_dir: Path, cwd: Path, env: Mapping[str, str], workers: int = 2
) -> Iterator[int]:
    """README's lecture-hall command serving on a free loopback port: yield the port."""
    proc, port = start_hall(bin_dir, cwd, env, workers)
    try:
        yield port
    finally:
        stop(proc, grace=HALL_GRACE)


def _answers(port: int) -> bool:
    try:
        return request(port, "GET", "/")[0] == 200
    except OSError:
        return False


def wait_until(
    ready: Callable[[], bool], proc: subprocess.Popen, what: str, seconds: float
) -> None:
    """Wait for ``ready()``, failing at once if ``proc`` exits and after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not ready():
        assert proc.poll() is None, f"{what} exited during start-up"
        assert time.monotonic() < deadline, f"{what} did not start within {seconds:g} s"
        time.sleep(0.1)


def stop(proc: subprocess.Popen, grace: float = 20) -> None:
    """Stop a process started in its own session, and everything it started."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def _pong(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@contextmanager
def redis_server(directory: Path) -> Iterator[str]:
    """Debian's redis-server on a free loopback port, keeping nothing on disk (its working
    files in ``directory``); yield its URL once it answers PING."""
    executable = shutil.which("redis-server")
    assert executable, REDIS_MISSING
    port = free_port()
    with open(directory / "redis.log", "wb") as log:
        proc = subprocess.Popen(
            [executable, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", str(directory)]
            + ["--maxmemory", "256mb", "--maxmemory-policy", "volatile-lru"],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until(lambda: _pong(port), proc, "redis-server", 30)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop(proc)


@contextmanager
def celery_worker(executable: Path, env: Mapping[str, str], log: Path) -> Iterator[Path]:
    """README's queue worker (``celery -A hpo_race.app.hall_worker worker``), one task at a
    time; yield its log (one line per job it computes) once it is ready."""
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [str(executable), "-A", "hpo_race.app.hall_worker", "worker"]
            + ["--pool", "solo", "--loglevel", "info", "--without-mingle", "--without-gossip"],
            env=dict(env),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until(lambda: b" ready." in log.read_bytes(), proc, "the Celery worker", 90)
        yield log
    finally:
        stop(proc)


def _callback_body(port: int, output: str, value: dict) -> bytes:
    """The POST the page sends to the server callback writing ``output`` (e.g.
    "race-store.data") when its first input's data becomes ``value``."""
    status, deps = request(port, "GET", "/_dash-dependencies")
    assert status == 200
    callback = next(
        d for d in json.loads(deps) if output in d["output"] and not d.get("clientside_function")
    )
    first = callback["inputs"][0]
    specs = callback["output"][2:-2].split("...")
    return json.dumps(
        {
            "output": callback["output"],
            "outputs": [
                dict(zip(("id", "property"), s.rsplit(".", 1), strict=True)) for s in specs
            ],
            "inputs": [{**first, "value": value}],
            "state": [],
            "changedPropIds": [f"{first['id']}.{first['property']}"],
        }
    ).encode()


def race_body(port: int, seed: int, **settings: object) -> bytes:
    """The POST the page sends for one Run (bumpy, layout 3, 700 minutes, this seed, unless
    ``settings`` say otherwise)."""
    value = {"landscape": "bumpy", "landscape_seed": 3, "budget": 700, "seed": seed, "nonce": 7}
    value.update(settings)
    return _callback_body(port, "race-store.data", value)


def many_body(port: int, settings: dict) -> bytes:
    """The POST the page sends for one chunk of a Many seeds run (assets/many.js's request:
    the race settings, ``total``, ``start``, ``count``, ``nonce``)."""
    return _callback_body(port, "many-chunk.data", settings)
