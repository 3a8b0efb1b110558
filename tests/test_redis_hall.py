"""Redis mode end to end, started as README's "Beyond one machine" says: a real redis-server,
a Celery queue worker (``celery -A hpo_race.app.hall_worker worker``) and two app processes
(``hpo-race serve``, each with its own cache directory, as if on two
machines) sharing ``HPO_RACE_REDIS_URL``. A Many seeds run asked of app A chunk by chunk,
as the page asks, is computed race by race in the queue worker; the same run asked of app B
is answered from the shared store, in one answer, without one more computation; both
summarise exactly as ``strategies.race.run_many`` does for the same settings. A heavy race
asked of both apps is computed once, by the queue worker, and answered as the embedded
default answers it."""

from __future__ import annotations

import http.client
import json
import os
import re
import sys
from pathlib import Path

import brotli
import pytest
from served import celery_worker, hall_server, many_body, race_body, redis_server, request

from hpo_race.app.heavy import HEAVY_SECONDS
from hpo_race.app.model_data import race_payload
from hpo_race.app.race_request import check_request
from hpo_race.app.redis_hall import open_redis_store
from hpo_race.app.result_store import ENV_REDIS
from hpo_race.app.shared_cache import counter_name
from hpo_race.app.static_files import BEST_KEY, BROTLI_QUALITY, body_digest
from hpo_race.app.work_limits import race_seconds
from hpo_race.strategies.race import run_many
from hpo_race.strategies.summary import compact_race, head_to_head

BIN = Path(sys.executable).parent
pytestmark = pytest.mark.slow  # tests/conftest.py: run by plain `pytest` and `-m slow`

#: The run the page would ask for: Many seeds × 8, three racers, seeds 40–47 on layout 3.
RACERS = ["grid", "random", "bayes"]
RUN = {"landscape": "bumpy", "landscape_seed": 3, "budget": 700, "seed": 40, "racers": RACERS}
TOTAL = 8
FIRST_CHUNK = 5  # assets/many.js: min(5, round(4000 / budget))


def many_seeds(port: int) -> tuple[dict, list[int]]:
    """The run asked of one app chunk by chunk, as assets/many.js asks (from the first race
    the last answer did not count, as many as its ``next_count``): the last answer (its
    summary is the whole run's) and how many races each answer counted."""
    done: list[int] = []
    start, count, chunk = 0, FIRST_CHUNK, {}
    while start < TOTAL:
        settings = {**RUN, "vary": False, "total": TOTAL, "start": start, "count": count}
        body = many_body(port, {**settings, "nonce": 1000 + start})
        status, reply = request(port, "POST", "/_dash-update-component", body)
        assert status == 200, reply[:300]
        chunk = json.loads(reply)["response"]["many-chunk"]["data"]
        assert chunk["ok"] is True, chunk
        assert chunk["start"] == start and chunk["done"] > start, chunk
        done.append(chunk["done"])
        start = chunk["done"]
        count = min(chunk["next_count"], TOTAL - start)
    return chunk, done


def computed_by_worker(log: Path, kind: str) -> int:
    """Results of this kind the queue worker computed (app/hall_worker.py logs one line per
    job it computes)."""
    return sum(f" computed {kind}:" in line for line in log.read_text().splitlines())


@pytest.fixture(scope="module")
def hall(tmp_path_factory):
    """redis-server, the queue worker, and apps A and B (one gunicorn worker each, each with
    its own cache directory, as if on two machines), all with HPO_RACE_REDIS_URL set."""
    home = tmp_path_factory.mktemp("hall")
    base = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    with redis_server(home) as url:
        env = {**base, ENV_REDIS: url}
        worker_env = {**env, "HPO_RACE_CACHE_DIR": str(home / "worker-cache")}
        with celery_worker(BIN / "celery", worker_env, home / "worker.log") as log:
            for name in ("a", "b"):
                (home / name).mkdir()
            env_a = {**env, "HPO_RACE_CACHE_DIR": str(home / "a" / "cache")}
            env_b = {**env, "HPO_RACE_CACHE_DIR": str(home / "b" / "cache")}
            with (
                hall_server(BIN, home / "a", env_a, workers=1) as port_a,
                hall_server(BIN, home / "b", env_b, workers=1) as port_b,
            ):
                yield {
                    "store": open_redis_store(url, ENV_REDIS),
                    "log": log,
                    "a": port_a,
                    "b": port_b,
                    "home": home,
                }


def test_two_app_processes_share_one_run_computed_by_the_queue_worker(hall):
    expected = run_many(
        RUN["landscape"], RACERS, RUN["budget"], RUN["seed"], TOTAL, landscape_seed=3
    )
    rows = [{"index": i, **compact_race(race)} for i, race in enumerate(expected["races"])]
    store, log = hall["store"], hall["log"]

    last_a, done_a = many_seeds(hall["a"])
    assert store.count(counter_name("many")) == TOTAL
    assert computed_by_worker(log, "many") == TOTAL  # so none in app A's process
    last_b, done_b = many_seeds(hall["b"])
    assert store.count(counter_name("many")) == TOTAL  # B computed nothing
    assert computed_by_worker(log, "many") == TOTAL
    for last in (last_a, last_b):
        assert last["summary"] == expected["summary"]
        assert last["h2h"] == head_to_head(rows, "grid", "random")
    assert len(done_a) >= 2, done_a  # the page's protocol: more than one chunk
    assert done_b == [TOTAL]  # B found the whole run in the shared store at once
    # neither app touched its own cache directory: everything went through Redis
    assert not any((hall["home"] / name / "cache").exists() for name in ("a", "b"))


def test_a_heavy_race_is_computed_once_by_the_queue_worker_for_both_apps(hall):
    heavy = {"landscape": "svm-digits", "budget": 1200, "racers": ["random", "bayes", "tpe"]}
    settings = check_request({**heavy, "landscape_seed": 3, "seed": 5})
    assert race_seconds(settings) >= HEAVY_SECONDS  # so the hall sends it to the queue
    replies = []
    for app in ("a", "b"):
        body = race_body(hall[app], seed=5, **heavy)
        status, reply = request(hall[app], "POST", "/_dash-update-component", body)
        assert status == 200, reply[:300]
        replies.append(reply)
    assert replies[0] == replies[1]
    assert hall["store"].count(counter_name("race")) == 1
    assert computed_by_worker(hall["log"], "race") == 1
    data = json.loads(replies[0])["response"]["race-store"]["data"]
    assert data["ok"] is True
    assert data["view"] == race_payload(settings)  # as the embedded default computes it


def brotli_get(port: int, path: str) -> bytes:
    """The body a browser that takes brotli gets, as sent (still compressed)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers={"Accept-Encoding": "br"})
        reply = conn.getresponse()
        assert reply.status == 200 and reply.getheader("Content-Encoding") == "br"
        return reply.read()
    finally:
        conn.close()


def test_a_page_file_is_compressed_at_its_best_once_for_the_whole_hall(hall):
    """Our page script at brotli's best, sent by app A, lands in Redis; app B sends it too."""
    html = request(hall["a"], "GET", "/")[1].decode()
    url = re.search(r'src="(/_hpo-assets/page\.[0-9a-f]+\.js)"', html).group(1)
    raw = request(hall["a"], "GET", url)[1]
    sent = [brotli_get(hall[app], url) for app in ("a", "b")]
    assert sent[0] == sent[1] and brotli.decompress(sent[0]) == raw
    assert len(sent[0]) < len(brotli.compress(raw, quality=BROTLI_QUALITY))
    assert hall["store"].get(BEST_KEY + body_digest(raw)) is not None  # shared through Redis
