"""Serving the app for tests as a lecture hall would: README's ``hpo-race serve`` (gunicorn
with app/hall.py's settings) in its own process group.

Shared by tests/test_gunicorn.py (the checkout's install) and tests/test_installed_wheel.py
(a wheel installed into a clean venv, started from another directory).
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO


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
        deadline = time.monotonic() + 90
        while True:
            try:
                if request(port, "GET", "/")[0] == 200:
                    return proc, port
            except OSError:
                pass
            assert proc.poll() is None, "hpo-race serve exited during start-up"
            assert time.monotonic() < deadline, "hpo-race serve did not start within 90 s"
            time.sleep(0.3)
    except BaseException:
        stop(proc)
        raise


def stop(proc: subprocess.Popen) -> None:
    """SIGTERM to the server's whole group; SIGKILL if it outlives gunicorn's graceful
    timeout (app/hall.py: 30 s)."""
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=40)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@contextmanager
def hall(bin_dir: Path, cwd: Path, env: Mapping[str, str], workers: int = 2) -> Iterator[int]:
    """README's lecture-hall command serving on a free loopback port: yield the port."""
    proc, port = start_hall(bin_dir, cwd, env, workers)
    try:
        yield port
    finally:
        stop(proc)


def race_body(port: int, seed: int, **settings: object) -> bytes:
    """The POST the page sends for one Run (bumpy, layout 3, 700 minutes, this seed, unless
    ``settings`` say otherwise)."""
    status, deps = request(port, "GET", "/_dash-dependencies")
    assert status == 200
    race = next(
        d
        for d in json.loads(deps)
        if "race-store.data" in d["output"] and not d.get("clientside_function")
    )
    specs = race["output"][2:-2].split("...")
    value = {"landscape": "bumpy", "landscape_seed": 3, "budget": 700, "seed": seed, "nonce": 7}
    value.update(settings)
    return json.dumps(
        {
            "output": race["output"],
            "outputs": [
                dict(zip(("id", "property"), s.rsplit(".", 1), strict=True)) for s in specs
            ],
            "inputs": [{**race["inputs"][0], "value": value}],
            "state": [],
            "changedPropIds": [f"{race['inputs'][0]['id']}.{race['inputs'][0]['property']}"],
        }
    ).encode()
