"""Served as README's lecture-hall line says (gunicorn -c python:hpo_race.app.hall, two
workers): the page, every worker answering a race byte for byte alike, and a page load not
waiting behind heavy races."""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from served import free_port, gunicorn, race_body, request

from hpo_race.app.result_store import DiskStore
from hpo_race.app.shared_cache import counter_name

GUNICORN = Path(sys.executable).with_name("gunicorn")

pytestmark = pytest.mark.slow  # tests/conftest.py: run by plain `pytest` and `-m slow`


@pytest.fixture(scope="module")
def gunicorn_port(tmp_path_factory):
    """Started from outside the checkout, without PYTHONPATH: the install alone must serve."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    with gunicorn(GUNICORN, tmp_path_factory.mktemp("elsewhere"), env) as port:
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
    ``worker_class = "sync"`` in app/hall.py makes this test fail, as it should.)"""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    with gunicorn(GUNICORN, tmp_path_factory.mktemp("one-worker"), env, workers=1) as port:
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


@pytest.mark.parametrize(
    ("env", "fragment"),
    [
        ({"HPO_RACE_WORKERS": "lots"}, "HPO_RACE_WORKERS must be a whole number from 1 to 64"),
        ({"HPO_RACE_THREADS": "0"}, "HPO_RACE_THREADS must be a whole number from 1 to 64, got 0"),
    ],
)
def test_a_nonsense_hall_setting_is_one_clear_line(env, fragment, tmp_path):
    result = subprocess.run(
        [str(GUNICORN), "-c", "python:hpo_race.app.hall", "--check-config", "hpo_race.app:server"],
        env={**os.environ, **env},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert fragment in result.stdout + result.stderr


@pytest.mark.parametrize("variable", ["HPO_RACE_CACHE_DIR", "HPO_RACE_REDIS_URL"])
def test_an_unusable_result_cache_stops_gunicorn_with_one_line(variable, tmp_path):
    """Checked once in the master (app/hall.py's on_starting): without it every worker
    fails to boot and gunicorn boots new ones for ever."""
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    bad = {
        "HPO_RACE_CACHE_DIR": str(blocker / "cache"),
        "HPO_RACE_REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",  # nobody listens there
    }[variable]
    result = subprocess.run(
        [str(GUNICORN), "-c", "python:hpo_race.app.hall", "hpo_race.app:server"],
        env={**os.environ, variable: bad, "HPO_RACE_BIND": f"127.0.0.1:{free_port()}"},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert lines[-1].startswith(f"{variable}={bad!r}"), lines[-3:]
    assert "Booting worker" not in result.stdout + result.stderr
