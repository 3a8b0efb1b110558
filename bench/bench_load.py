"""Lecture-hall load test (issue 14): four scenarios against the README's lecture-hall command.

    .venv/bin/python bench/bench_load.py [--students 100] [--window 30] [--attack 25]

Starts ``hpo-race serve`` (the README's line, its defaults: one worker per core and at least
two, gthread; app/hall.py) on a free loopback port with a fresh result cache
(``HPO_RACE_CACHE_DIR`` in a temp dir), then runs, in one go:

(a) ``--students`` students arriving at random moments over ``--window`` s, no attack;
(b) the same while 4 attacking clients loop the heaviest requests the page can send for
    ``--attack`` s (default 25 s, not the issue's 60 s, to keep a run short): each client runs
    3 loops at once (one more than the per-client cap) of a race at 3,000 GPU minutes on
    svm-digits, its Bayesian model view, its HTML replay export and a many-seeds chunk with
    five racers at the same cap, fresh seeds every time so the cache never helps them;
(c) ``--students`` students opening the same link at the same moment (bumpy, layout 3,
    1,500 GPU minutes, a heavy race): the engine computations counted by the shared cache;
(d) 30 students pressing many-seeds ×30 on the same settings at once (every chunk request,
    as assets/many.js sends them): the time until the last one has all 30 races.

A student does what a browser does: GET the page and every script and stylesheet it names
(asking for brotli, as a browser would), the layout, the callback graph and the chunks and
icons the page fetches lazily, then POSTs one race: the page's default race as it opens
(smooth, layout 0, 800 GPU minutes; race seed 0 in (a), 1 in (b), so (b) starts cold), or
with ``--own-seeds`` each student its own seed, a fresh computation each (the hardest
case). Every client connects from its own loopback
address (127.0.x.y), so the per-client cap sees them as different students.

Prints one table: p50/p95 of page loads and race requests, errors (non-200, a failed answer
other than a "busy" sentence, or a timeout), engine computations, and for the attackers how
many of their requests were served, told to come back later, or refused by the cost cap.
Before (a), a few page loads warm the workers up (each compresses the page's bundles once),
as a server started before the lecture is. It also reads the server's log: "workers killed"
counts worker timeouts and re-boots.
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
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import brotli

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hpo_race.app.hall import COUNTS  # noqa: E402
from hpo_race.app.race_request import REQUEST_KEYS  # noqa: E402  (the page's settings, in order)
from hpo_race.app.result_store import DiskStore  # noqa: E402
from hpo_race.app.shared_cache import counter_name  # noqa: E402

#: What the page fetches after the layout arrives (seen in headless Chromium's request log).
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
TIMEOUT = 90.0
CALLBACK = "/_dash-update-component"
HEAVY_RACE = {"landscape": "svm-digits", "landscape_seed": 0, "budget": 3000}
HEAVY_MANY = {**HEAVY_RACE, "racers": ["random", "bayes", "hyperband", "tpe", "halving"]}
LINK = {"landscape": "bumpy", "landscape_seed": 3, "budget": 1500, "seed": 2026}
BUSY = "The server is busy"
#: Seconds an attacker waits after a refusal before its next request.
REFUSED_PAUSE = 0.5


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One browser's keep-alive connection from its own loopback address."""

    def __init__(self, port: int, address: str) -> None:
        self.conn = http.client.HTTPConnection(
            "127.0.0.1", port, timeout=TIMEOUT, source_address=(address, 0)
        )

    def _read(self, decode: bool) -> tuple[int, bytes]:
        r = self.conn.getresponse()
        raw = r.read()
        if decode:
            encoding = r.getheader("Content-Encoding", "")
            if encoding == "br":
                raw = brotli.decompress(raw)
            elif encoding == "gzip":
                raw = gzip.decompress(raw)
        return r.status, raw

    def get(self, path: str, decode: bool = False) -> tuple[int, bytes]:
        self.conn.request("GET", path, headers=HEADERS)
        return self._read(decode)

    def post(self, body: dict) -> tuple[int, dict | None]:
        headers = {**HEADERS, "Content-Type": "application/json"}
        self.conn.request("POST", CALLBACK, body=json.dumps(body).encode(), headers=headers)
        status, raw = self._read(True)
        return status, (json.loads(raw)["response"] if status == 200 else None)

    def close(self) -> None:
        self.conn.close()


def address(group: int, i: int) -> str:
    """A distinct loopback address per simulated client (Linux routes all of 127/8 to lo)."""
    return f"127.0.{group}.{2 + i}"


class Callbacks:
    """Request bodies for the page's server callbacks, built from its callback graph."""

    def __init__(self, deps: list[dict]) -> None:
        self.by_input = {d["inputs"][0]["id"]: d for d in deps if not d.get("clientside_function")}

    def body(self, first_input: str, inputs: list, state: list = (), changed: str = "") -> dict:
        d = self.by_input[first_input]
        specs = d["output"].strip(".").split("...")
        return {
            "output": d["output"],
            "outputs": [
                {"id": s.rsplit(".", 1)[0], "property": s.rsplit(".", 1)[1].split("@")[0]}
                for s in specs
            ],
            "inputs": [{**spec, "value": v} for spec, v in zip(d["inputs"], inputs, strict=True)],
            "state": [{**spec, "value": v} for spec, v in zip(d["state"], state, strict=True)],
            "changedPropIds": [
                f"{s['id']}.{s['property']}"
                for s in d["inputs"]
                if s["id"] == (changed or first_input)
            ],
        }

    def race(self, settings: dict) -> dict:
        return self.body("race-request", [{**settings, "nonce": random.random()}])

    def model(self, settings: dict) -> dict:
        return self.body("model-request", [{**settings, "nonce": random.random()}])

    def many(self, settings: dict, total: int, start: int, count: int) -> dict:
        value = {**settings, "vary": False, "total": total, "start": start, "count": count}
        return self.body("many-request", [{**value, "nonce": 1}])

    def export_html(self, settings: dict) -> dict:
        state = [settings.get(k) for k in REQUEST_KEYS]
        return self.body("export-csv", [None, None, 1], state, changed="export-html")


def answer_of(reply: dict | None, store: str) -> dict:
    """The store data a server callback answered (``{"ok": …}``)."""
    return (reply or {}).get(store, {}).get("data") or {}


def load_page(c: Client) -> list[dict]:
    """Everything a browser fetches to show the page; returns the callback graph."""
    status, html = c.get("/", decode=True)
    assert status == 200, f"page {status}"
    for path in re.findall(rb'(?:src|href)="(/[^"]+\.(?:js|css)[^"]*)"', html):
        status, _ = c.get(path.decode())
        assert status == 200, f"{path!r} {status}"
    status, _ = c.get("/_dash-layout")
    assert status == 200, f"layout {status}"
    status, deps = c.get("/_dash-dependencies", decode=True)
    assert status == 200, f"dependencies {status}"
    for path in LAZY_ASSETS:
        status, _ = c.get(path)
        assert status == 200, f"{path} {status}"
    return json.loads(deps)


def student(port: int, where: str, settings: dict, start_at: float | None, gate=None) -> dict:
    """One student: the page, then one race. Times both; never raises."""
    if gate is not None:
        gate.wait()
    elif start_at is not None:
        time.sleep(max(0.0, start_at - time.monotonic()))
    record = {"page": None, "race": None, "error": None, "busy": False}
    c = Client(port, where)
    try:
        t0 = time.monotonic()
        calls = Callbacks(load_page(c))
        record["page"] = time.monotonic() - t0
        t1 = time.monotonic()
        status, reply = c.post(calls.race(settings))
        assert status == 200, f"race {status}"
        answer = answer_of(reply, "race-store")
        if not answer.get("ok"):
            record["busy"] = str(answer.get("error", "")).startswith(BUSY)
            raise AssertionError(f"race not ok: {answer.get('error')}")
        record["race"] = time.monotonic() - t1
    except Exception as exc:  # counted, not raised: the bench reports errors
        record["error"] = f"{type(exc).__name__}: {exc}"
    finally:
        c.close()
    return record


def many_student(port: int, where: str, settings: dict, total: int, gate) -> dict:
    """One student pressing many-seeds ×total: chunk after chunk, as assets/many.js asks."""
    c = Client(port, where)
    record = {"done": None, "error": None, "chunks": 0}
    try:
        calls = Callbacks(json.loads(c.get("/_dash-dependencies", decode=True)[1]))
        gate.wait()
        t0 = time.monotonic()
        start, count = 0, min(max(1, min(5, round(4000 / settings["budget"]))), total)
        while start < total:
            status, reply = c.post(calls.many(settings, total, start, count))
            assert status == 200, f"chunk {status}"
            chunk = answer_of(reply, "many-chunk")
            assert chunk.get("ok"), f"chunk not ok: {chunk.get('error')}"
            record["chunks"] += 1
            start = chunk["done"]  # the page asks from the first race not yet counted
            count = max(1, min(chunk["next_count"], total - start))
        record["done"] = time.monotonic() - t0
    except Exception as exc:
        record["error"] = f"{type(exc).__name__}: {exc}"
    finally:
        c.close()
    return record


def attacker(port: int, where: str, stop: threading.Event, seeds, tally: dict, lock) -> None:
    """Loops the heaviest requests the page can send, fresh seeds each time, until ``stop``."""
    c = Client(port, where)
    calls = Callbacks(json.loads(c.get("/_dash-dependencies", decode=True)[1]))
    kinds = ("race", "model", "export", "many")
    k = 0
    race = HEAVY_RACE
    while not stop.is_set():
        kind = kinds[k % len(kinds)]
        k += 1
        seed = next(seeds)
        if kind == "race":  # the model view and the export that follow are of this race
            race = {**HEAVY_RACE, "seed": seed}
        try:
            if kind == "race":
                status, reply = c.post(calls.race(race))
                answer = answer_of(reply, "race-store")
            elif kind == "model":
                status, reply = c.post(calls.model(race))
                answer = answer_of(reply, "model-store")
            elif kind == "export":
                status, reply = c.post(calls.export_html(race))
                alert = (reply or {}).get("alert", {}).get("children")
                download = (reply or {}).get("export-download", {}).get("data")
                answer = {"ok": bool(download), "error": alert}
            else:
                status, reply = c.post(calls.many({**HEAVY_MANY, "seed": seed}, 100, 0, 1))
                answer = answer_of(reply, "many-chunk")
            error = str(answer.get("error") or "")
            what = f"{kind}: {status} {error[:200]}"
            if status != 200:
                outcome = "errors"
            elif answer.get("ok"):
                outcome = "served"
            elif BUSY.lower() in error.lower():
                outcome = "busy"
            elif "one request may take" in error:
                outcome = "capped"
            else:
                outcome = "errors"
        except Exception as exc:
            outcome = "errors"
            what = f"{kind}: {type(exc).__name__}: {exc}"
            c.close()
            c = Client(port, where)
        with lock:
            tally[outcome] = tally.get(outcome, 0) + 1
            if outcome == "errors":
                tally.setdefault("first_error", what)
        if outcome in ("busy", "capped"):
            stop.wait(REFUSED_PAUSE)  # a hand clicking again, not a script in a tight loop
    c.close()


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def crowd(
    port: int, group: int, n: int, window: float, seed0: int, own_seeds: bool, link=None
) -> list:
    """``n`` students over ``window`` s (all at once if ``link``), each its own address,
    racing the page's default settings with race seed ``seed0`` (``own_seeds``: seed0 + i)."""
    rng = random.Random(group)
    begin = time.monotonic() + 0.5
    gate = threading.Barrier(n) if link else None
    with ThreadPoolExecutor(max_workers=n) as pool:
        futures = []
        for i in range(n):
            settings = link or {
                "landscape": "smooth",
                "landscape_seed": 0,
                "budget": 800,
                "seed": seed0 + (i if own_seeds else 0),
            }
            start_at = None if link else begin + rng.uniform(0, window)
            futures.append(pool.submit(student, port, address(group, i), settings, start_at, gate))
        return [f.result() for f in futures]


def row(name: str, records: list, computations: int | str, extra: str = "") -> str:
    pages = [r["page"] for r in records if r["page"] is not None]
    races = [r["race"] for r in records if r["race"] is not None]
    errors = sum(1 for r in records if r["error"])

    def ms(values: list[float], q: float) -> str:
        return f"{percentile(values, q) * 1000:6.0f}" if values else "     -"

    return (
        f"{name:<34} {ms(pages, 50)} {ms(pages, 95)}   {ms(races, 50)} {ms(races, 95)}"
        f"  {errors:>6}  {computations!s:>12}  {extra}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--window", type=float, default=30.0)
    parser.add_argument("--attack", type=float, default=25.0)
    parser.add_argument(
        "--own-seeds",
        action="store_true",
        help="in (a) and (b) every student races its own seed (a fresh computation each)",
    )
    args = parser.parse_args()
    if not 1 <= args.students <= 250 or not 1 <= args.window <= 120 or not 5 <= args.attack <= 120:
        parser.error("students must be 1..250, window 1..120 s and attack 5..120 s")

    port = free_port()
    cache_dir = tempfile.mkdtemp(prefix="hpo-race-bench-cache-")
    log_path = Path(cache_dir) / "gunicorn.log"
    command = ["hpo-race", "serve"]
    executable = str(Path(sys.executable).with_name(command[0]))
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [executable, *command[1:], "--host", "127.0.0.1", "--port", str(port)],
            cwd=cache_dir,
            env={**os.environ, "HPO_RACE_CACHE_DIR": cache_dir},
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
    store = DiskStore(cache_dir)
    lines = []
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                c = Client(port, "127.0.0.1")
                ok = c.get("/")[0] == 200
                c.close()
                if ok:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("hpo-race serve did not start")
            time.sleep(0.3)

        def computed(kind: str = "race") -> int:
            return store.count(counter_name(kind))

        n, w = args.students, args.window
        for i in range(2 * max(2, os.cpu_count() or 1)):  # a server started before the lecture:
            warm = Client(port, address(0, i))  # each worker has compressed the page's bundles
            load_page(warm)
            warm.close()
        before = computed()
        a = crowd(port, 1, n, w, 0, args.own_seeds)
        lines.append(row(f"(a) {n} students over {w:g} s", a, computed() - before))

        stop, lock, tally = threading.Event(), threading.Lock(), {}
        seeds = iter(range(500_000, 10**9))
        attack = ThreadPoolExecutor(max_workers=12)
        for client in range(4):
            for _ in range(3):
                attack.submit(attacker, port, address(9, client), stop, seeds, tally, lock)
        began = time.monotonic()
        before = computed()
        window_b = min(w, max(1.0, args.attack - 5))
        b = crowd(port, 2, n, window_b, 20_000 if args.own_seeds else 1, args.own_seeds)
        left = args.attack - (time.monotonic() - began)
        if left > 0:
            stop.wait(left)
        stop.set()
        attack.shutdown(wait=True)
        attack_s = time.monotonic() - began
        note = (
            f"attack {attack_s:.0f} s: {tally.get('served', 0)} served, "
            f"{tally.get('busy', 0)} busy, {tally.get('capped', 0)} capped, "
            f"{tally.get('errors', 0)} errors"
        )
        lines.append(row(f"(b) {n} students over {window_b:g} s, attack", b, "-", note))

        before = computed()
        c_records = crowd(port, 3, n, 0, 0, False, link=LINK)
        lines.append(row(f"(c) {n} students, same link at once", c_records, computed() - before))

        before = computed("many")
        gate = threading.Barrier(30)
        settings = {"landscape": "smooth", "landscape_seed": 0, "budget": 800, "seed": 3030}
        with ThreadPoolExecutor(max_workers=30) as pool:
            d = list(
                pool.map(lambda i: many_student(port, address(4, i), settings, 30, gate), range(30))
            )
        done = [r["done"] for r in d if r["done"] is not None]
        d_errors = sum(1 for r in d if r["error"])
        last = f"last result after {max(done):.1f} s" if done else "no result"
        chunks = statistics.mean(r["chunks"] for r in d)
        d_line = (
            f"{'(d) 30 students many-seeds x30':<34} {'-':>6} {'-':>6}   {'-':>6} {'-':>6}"
            f"  {d_errors:>6}  {computed('many') - before:>12}  {last} "
            f"({chunks:.1f} chunk requests each)"
        )
        lines.append(d_line)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    text = log_path.read_text()
    boots = text.count("Booting worker")
    expected = next(count.default for count in COUNTS if count.name == "workers")
    killed = len(re.findall(r"WORKER TIMEOUT|SIGKILL", text)) + max(0, boots - expected)
    print(
        f"`{' '.join(command)}` on {os.cpu_count()} cores (loopback, {boots} workers booted, "
        f"{killed} workers killed)"
    )
    print(
        f"{'scenario':<34} {'page p50':>6} {'p95':>6}   {'race p50':>6} {'p95':>6}"
        f"  {'errors':>6}  {'computations':>12}"
    )
    print("\n".join(lines))
    print("(times in ms; errors: non-200, a failed answer, or a timeout; (b)'s busy answers")
    print(" went to the attackers, whose third loop each exceeds the per-client cap)")
    errors = [r["error"] for r in (*a, *b, *c_records, *d) if r["error"]]
    if errors:
        print(f"first error: {errors[0]}")
    if "first_error" in tally:
        print(f"first attacker error: {tally['first_error']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
