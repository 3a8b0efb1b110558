"""Lecture-hall load test: ~100 students load the page and run the default race within 30 s.

    .venv/bin/python bench/bench_load.py [--students 100] [--window 30] [--workers 2]

Starts ``gunicorn -w 2 'hpo_race.app:server'`` on a free loopback port (nothing leaves this
machine), then each simulated student, arriving at a random moment in the window, does what a
browser does: GET the page and every script and stylesheet it names (asking for brotli/gzip, as a
browser would), GET the layout and the callback graph, and POST the one "Run" request with
the default settings. Prints p50/p95/max latency of the page load and of the race request,
and the error count. Bounded: at most --students sessions, each request times out at 30 s,
and the server is stopped at the end whatever happens.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import brotli

ROOT = Path(__file__).resolve().parents[1]
#: What the page fetches after the layout arrives (seen in headless Chromium's request log):
#: dcc's Dropdown, Slider and Graph chunks and the icons. plotly.js itself comes from the
#: vendored cartesian bundle in assets/vendor, which the HTML names, so it is counted above.
LAZY_ASSETS = (
    "/_dash-component-suites/dash/dcc/async-dropdown.js",
    "/_dash-component-suites/dash/dcc/async-slider.js",
    "/_dash-component-suites/dash/dcc/async-graph.js",
    "/_favicon.ico?v=4.4.1",
    "/assets/dice.svg",
    "/assets/icon-flag.svg",
    "/assets/icon-link.svg",
    "/assets/icon-download.svg",
)
HEADERS = {"Accept-Encoding": "br, gzip", "User-Agent": "hpo-race-bench"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One browser's keep-alive connection; counts the bytes as sent (compressed) on the wire."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.wire_bytes = 0

    def _read(self) -> tuple[int, bytes]:
        r = self.conn.getresponse()
        raw = r.read()
        self.wire_bytes += len(raw)
        encoding = r.getheader("Content-Encoding", "")
        if encoding == "br":
            raw = brotli.decompress(raw)
        elif encoding == "gzip":
            raw = gzip.decompress(raw)
        return r.status, raw

    def get(self, path: str) -> tuple[int, bytes]:
        self.conn.request("GET", path, headers=HEADERS)
        return self._read()

    def post(self, path: str, body: dict) -> tuple[int, bytes]:
        headers = {**HEADERS, "Content-Type": "application/json"}
        self.conn.request("POST", path, body=json.dumps(body).encode(), headers=headers)
        return self._read()


def race_request(deps: list[dict], nonce: int) -> dict:
    race = next(
        d for d in deps if "race-store.data" in d["output"] and not d.get("clientside_function")
    )
    specs = race["output"][2:-2].split("...")
    value = {"landscape": "smooth", "landscape_seed": 0, "budget": 800, "seed": 0, "nonce": nonce}
    return {
        "output": race["output"],
        "outputs": [dict(zip(("id", "property"), s.rsplit(".", 1), strict=True)) for s in specs],
        "inputs": [{**race["inputs"][0], "value": value}],
        "state": [],
        "changedPropIds": [f"{race['inputs'][0]['id']}.{race['inputs'][0]['property']}"],
    }


def student(port: int, start_at: float, results: list, lock: threading.Lock) -> None:
    time.sleep(max(0.0, start_at - time.monotonic()))
    record = {"page": None, "race": None, "error": None, "bytes": 0}
    try:
        c = Client(port)
        t0 = time.monotonic()
        status, html = c.get("/")
        assert status == 200, f"page {status}"
        assets = re.findall(rb'(?:src|href)="(/[^"]+\.(?:js|css)[^"]*)"', html)
        for path in assets:
            status, _ = c.get(path.decode())
            assert status == 200, f"{path!r} {status}"
        status, _ = c.get("/_dash-layout")
        assert status == 200, f"layout {status}"
        status, deps = c.get("/_dash-dependencies")
        assert status == 200, f"dependencies {status}"
        for path in LAZY_ASSETS:
            status, _ = c.get(path)
            assert status == 200, f"{path} {status}"
        record["page"] = time.monotonic() - t0
        record["bytes"] = c.wire_bytes
        t1 = time.monotonic()
        status, reply = c.post("/_dash-update-component", race_request(json.loads(deps), int(t1)))
        assert status == 200, f"race {status}"
        assert b'"ok":true' in reply.replace(b" ", b""), "race not ok"
        record["race"] = time.monotonic() - t1
    except Exception as exc:  # counted, not raised: the bench reports errors
        record["error"] = f"{type(exc).__name__}: {exc}"
    with lock:
        results.append(record)


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--window", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not 1 <= args.students <= 500 or not 1 <= args.window <= 120:
        parser.error("students must be 1..500 and window 1..120 s")

    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [
            str(gunicorn),
            "-w",
            str(args.workers),
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
                if Client(port).get("/")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("gunicorn did not start")
            time.sleep(0.3)
        rng = random.Random(0)
        begin = time.monotonic() + 0.5
        starts = sorted(begin + rng.uniform(0, args.window) for _ in range(args.students))
        results: list[dict] = []
        lock = threading.Lock()
        wall = time.monotonic()
        with ThreadPoolExecutor(max_workers=args.students) as pool:
            for s in starts:
                pool.submit(student, port, s, results, lock)
        wall = time.monotonic() - wall
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)

    errors = [r["error"] for r in results if r["error"]]
    pages = [r["page"] for r in results if r["page"] is not None]
    races = [r["race"] for r in results if r["race"] is not None]
    print(
        f"{args.students} students over {args.window:.0f} s against gunicorn -w {args.workers} "
        f"(loopback), finished in {wall:.1f} s"
    )
    for name, values in (("page load (HTML+JS+CSS+layout)", pages), ("race request (Run)", races)):
        if values:
            print(
                f"{name:<32} p50 {statistics.median(values) * 1000:7.0f} ms   "
                f"p95 {percentile(values, 95) * 1000:7.0f} ms   max {max(values) * 1000:7.0f} ms"
            )
    mb = statistics.mean(r["bytes"] for r in results) / 1e6
    print(f"bytes on the wire per page load: {mb:.2f} MB")
    print(f"errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))


if __name__ == "__main__":
    main()
