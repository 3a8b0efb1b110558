"""Served as README's lecture-hall line says (``hpo-race serve``: gunicorn with app/hall.py's
settings, two workers): the page, every worker answering a race byte for byte alike, a page
load not waiting behind heavy races, and a signal stopping the server and all its workers."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from served import free_port, hall_server, race_body, request, start_hall

from hpo_race.app.result_store import DiskStore
from hpo_race.app.shared_cache import counter_name

#: Where the checkout's install put its commands (``hpo-race`` among them).
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.slow  # tests/conftest.py: run by plain `pytest` and `-m slow`


@pytest.fixture(scope="module")
def gunicorn_port(tmp_path_factory):
    """Started from outside the checkout, without PYTHONPATH: the install alone must serve."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    with hall_server(BIN, tmp_path_factory.mktemp("elsewhere"), env) as port:
        yield port


def test_the_page_is_served(gunicorn_port):
    status, page = request(gunicorn_port, "GET", "/")
    assert status == 200
    assert "hpo-race" in page.decode()


def test_both_workers_serve_byte_identical_races(gunicorn_port):
    body = race_body(gunicorn_port, seed=11)
    # Concurrent requests spread over both workers.
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


def test_identical_races_on_both_workers_are_computed_once(gunicorn_port):
    """Both workers share one result cache (HPO_RACE_CACHE_DIR, set by tests/conftest.py):
    32 identical requests at once, on 2 workers × 8 threads, run one engine computation."""
    store = DiskStore(os.environ["HPO_RACE_CACHE_DIR"])
    before = store.count(counter_name("race"))
    body = race_body(gunicorn_port, seed=4321)
    with ThreadPoolExecutor(max_workers=32) as pool:
        replies = list(
            pool.map(
                lambda _: request(gunicorn_port, "POST", "/_dash-update-component", body), range(32)
            )
        )
    assert {status for status, _ in replies} == {200}
    assert len({reply for _, reply in replies}) == 1
    assert store.count(counter_name("race")) - before == 1


def test_a_page_load_is_not_queued_behind_heavy_races(tmp_path_factory):
    """One worker, two long races sent before a page load: gunicorn's default
    sync worker answers them in turn, so the page would come last; the hall's threaded
    worker answers the page while the races are still being computed. (gunicorn turns a
    sync worker with more than one thread into gthread: HPO_RACE_THREADS=1 with
    ``"worker_class": "sync"`` in app/hall.py makes this test fail, as it should.)"""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    with hall_server(BIN, tmp_path_factory.mktemp("one-worker"), env, workers=1) as port:
        bodies = [race_body(port, seed, budget=1500) for seed in (21, 22)]  # seconds each
        finished: list[str] = []
        lock = threading.Lock()
        sent = []
        # each request is fully sent, in this order, before the next connects
        for name, method, path, body in [
            *((f"race {i}", "POST", "/_dash-update-component", b) for i, b in enumerate(bodies)),
            ("page", "GET", "/_dash-layout", None),
        ]:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            conn.request(method, path, body=body, headers={"Content-Type": "application/json"})
            sent.append((name, conn))

        def answer(item: tuple[str, http.client.HTTPConnection]) -> int:
            name, conn = item
            reply = conn.getresponse()
            reply.read()
            with lock:
                finished.append(name)
            conn.close()
            return reply.status

        with ThreadPoolExecutor(max_workers=len(sent)) as pool:
            assert list(pool.map(answer, sent)) == [200] * len(sent)
    assert finished.index("page") < len(bodies), finished


def group_members(group: int) -> set[int]:
    """The live processes of a process group (zombies included: not yet reaped is not gone)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended while being read
        if int(fields[2]) == group:  # after the name: state, ppid, pgrp
            found.add(int(stat.parent.name))
    return found


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


@pytest.mark.parametrize(
    "how", ["SIGTERM to the master", "SIGINT to the whole group (Ctrl+C in a terminal)"]
)
def test_a_signal_stops_the_hall_and_all_its_workers(how, tmp_path):
    """No orphan worker keeps the port or the CPU after the teacher stops the server, it
    exits with status 0 and no traceback, and it never wrote a control socket."""
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(HOME=str(home), XDG_RUNTIME_DIR=str(home))  # where gunicorn puts its socket
    log_path = tmp_path / "serve.log"
    with open(log_path, "w") as log:
        proc, port = start_hall(BIN, tmp_path, env, workers=2, log=log)
    try:
        master = proc.pid  # start_new_session: the master leads its own group
        wait_for(lambda: len(group_members(master)) == 3, 60, "two workers did not boot")
        workers = group_members(master) - {master}
        if how.startswith("SIGTERM"):
            os.kill(master, signal.SIGTERM)
        else:
            os.killpg(master, signal.SIGINT)
        assert proc.wait(timeout=40) == 0
        wait_for(lambda: not group_members(master), 10, f"left running: {group_members(master)}")
        assert all(not Path(f"/proc/{pid}").exists() for pid in workers)
        with pytest.raises(OSError):
            request(port, "GET", "/")
    finally:
        if group_members(proc.pid):  # only if the test failed: leave nothing behind
            os.killpg(proc.pid, signal.SIGKILL)
        if proc.poll() is None:
            proc.wait(timeout=10)
    text = log_path.read_text()
    assert "Shutting down: Master" in text and "Traceback" not in text, text
    assert not [p for p in home.rglob("*") if p.is_socket()], "a control socket was written"


@pytest.mark.parametrize("variable", ["HPO_RACE_CACHE_DIR", "HPO_RACE_REDIS_URL"])
def test_an_unusable_result_cache_stops_the_hall_with_one_line(variable, tmp_path):
    """Checked once in the master before gunicorn starts (app/cli.py): without it every
    worker fails to boot and gunicorn boots new ones for ever."""
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    bad = {
        "HPO_RACE_CACHE_DIR": str(blocker / "cache"),
        "HPO_RACE_REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",  # nobody listens there
    }[variable]
    result = subprocess.run(
        [str(BIN / "hpo-race"), "serve", "--host", "127.0.0.1", "--port", str(free_port())],
        env={**os.environ, variable: bad},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"hpo-race serve: error: {variable}={bad!r}"), line
