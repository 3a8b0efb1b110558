"""Served as documented (gunicorn, two workers): the page, and every worker answers a race byte
for byte alike."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")

pytestmark = pytest.mark.slow  # tests/conftest.py: run by plain `pytest` and `-m slow`


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


@pytest.fixture(scope="module")
def gunicorn_port():
    port = free_port()
    proc = subprocess.Popen(
        [
            str(GUNICORN),
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--no-control-socket",
            "--log-level",
            "warning",
            "hpo_race.app:server",
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if request(port, "GET", "/")[0] == 200:
                    break
            except OSError:
                pass
            assert proc.poll() is None, "gunicorn exited during start-up"
            assert time.monotonic() < deadline, "gunicorn did not start within 60 s"
            time.sleep(0.3)
        yield port
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


def test_the_page_is_served(gunicorn_port):
    status, page = request(gunicorn_port, "GET", "/")
    assert status == 200
    assert "hpo-race" in page.decode()


def race_body(port: int, seed: int) -> bytes:
    status, deps = request(port, "GET", "/_dash-dependencies")
    assert status == 200
    race = next(
        d
        for d in json.loads(deps)
        if "race-store.data" in d["output"] and not d.get("clientside_function")
    )
    specs = race["output"][2:-2].split("...")
    value = {"landscape": "bumpy", "landscape_seed": 3, "budget": 700, "seed": seed, "nonce": 7}
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


def test_both_workers_serve_byte_identical_races(gunicorn_port):
    body = race_body(gunicorn_port, seed=11)
    # Sync workers answer one request at a time, so concurrent requests spread over both.
    with ThreadPoolExecutor(max_workers=8) as pool:
        replies = list(
            pool.map(
                lambda _: request(gunicorn_port, "POST", "/_dash-update-component", body), range(16)
            )
        )
    assert all(status == 200 for status, _ in replies)
    assert len({reply for _, reply in replies}) == 1
    store = json.loads(replies[0][1])["response"]["race-store"]["data"]
    assert store["ok"] is True
    other = request(gunicorn_port, "POST", "/_dash-update-component", race_body(gunicorn_port, 12))
    assert other[1] != replies[0][1]
