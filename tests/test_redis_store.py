"""Redis mode's store against a real redis-server (app/redis_hall.py), side by side with the
embedded DiskStore: the same meaning for values, claims that lapse, counters and per-client
job lists; jobs sent through a queue computed once and never locked for good; a bad
HPO_RACE_REDIS_URL is one clear line; and without it neither redis nor celery is imported."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from served import free_port, redis_server

from hpo_race.app.heavy import BusyError, HeavyWork
from hpo_race.app.redis_hall import PREFIX, RedisStore, open_redis_store, shown_url
from hpo_race.app.result_store import ENV_REDIS, DiskStore
from hpo_race.app.shared_cache import JobFailed, SharedCache, counter_name

#: It needs a real redis-server and starts app processes: seconds, left out of the quick round
pytestmark = pytest.mark.slow


def wait_for(condition, what: str, timeout: float = 20.0) -> None:
    event = threading.Event()
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen within {timeout} s"
        event.wait(0.01)


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture
def redis_store(redis_url) -> RedisStore:
    store = open_redis_store(redis_url, ENV_REDIS)
    store.client.flushdb()
    return store


@pytest.fixture(params=["disk", "redis"])
def store(request, tmp_path):
    """Each store in turn: every test below must hold for both."""
    if request.param == "disk":
        return DiskStore(tmp_path)
    return request.getfixturevalue("redis_store")


# ---------------------------------------------------------------- one meaning, two stores


def test_values_come_back_equal_and_missing_ones_are_none(store):
    value = {"race": [1, 2.5, None, "x"], "nested": {"0.9": 483.0, "ok": True}}
    assert store.get("k") is None and not store.has("k")
    store.set("k", value)
    assert store.get("k") == value and store.has("k")
    store.set("short", "gone soon", seconds=0.3)
    assert store.get("short") == "gone soon"
    wait_for(lambda: not store.has("short"), "a value set for 0.3 s lapsing")


def test_a_claim_is_held_until_released_or_lapsed(store):
    assert store.claim("c", 30)
    assert not store.claim("c", 30)  # held by someone
    store.release("c")
    assert store.claim("c", 0.3)
    began = time.monotonic()
    wait_for(lambda: store.claim("c", 30), "a 0.3 s claim lapsing")
    assert time.monotonic() - began >= 0.2  # not before its time


def test_counters_count_every_increment_from_many_threads(store):
    assert store.count("n") == 0
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda _: store.incr("n"), range(200)))
    assert store.count("n") == 200 and store.incr("n") == 201


def test_one_client_list_holds_at_most_its_limit_and_forgets_lapsed_members(store):
    far = 4e9
    assert store.join("jobs:a", "1", far, 2) is None
    assert store.join("jobs:a", "2", far + 1, 2) is None
    assert store.join("jobs:a", "3", far, 2) == [far, far + 1]
    assert store.join("jobs:b", "1", far, 2) is None  # another client
    store.leave("jobs:a", "1")
    assert store.join("jobs:a", "3", far, 2) is None
    assert store.join("jobs:c", "old", 1.0, 1) is None  # lapsed long ago (time 1.0)
    assert store.join("jobs:c", "new", far, 1) is None
    soon = time.time() + 0.3
    assert store.join("jobs:d", "x", soon, 1) is None
    assert store.join("jobs:d", "y", far, 1) == [pytest.approx(soon)]
    wait_for(lambda: store.join("jobs:d", "y", far, 1) is None, "a ticket lapsing")


def test_joining_at_once_from_many_threads_admits_exactly_the_limit(store):
    far = 4e9
    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(lambda i: store.join("jobs:z", str(i), far, 2), range(16)))
    assert sum(answer is None for answer in answers) == 2


# ---------------------------------------------------------------- Redis only


def test_values_travel_as_json_and_nothing_read_is_ever_unpickled(redis_store):
    redis_store.set("k", {"a": [1, 2]})
    assert redis_store.client.get(PREFIX + "k") == b'{"a":[1,2]}'
    redis_store.client.set(PREFIX + "forged", pickle.dumps({"a": 1}))
    with pytest.raises(ValueError):
        redis_store.get("forged")


def test_results_and_client_lists_expire_and_counters_do_not(redis_store):
    """Under ``--maxmemory-policy volatile-lru`` Redis evicts only keys with a time to live:
    results and job lists have one, counters and Celery's queue do not."""
    redis_store.set("result", [1])
    redis_store.incr("n")
    redis_store.join("jobs:a", "1", time.time() + 100, 2)
    ttl = redis_store.client.pttl
    assert 0 < ttl(PREFIX + "result") <= redis_store.result_seconds * 1000
    assert 99_000 < ttl(PREFIX + "jobs:a") <= 100_000  # until its last member lapses
    assert ttl(PREFIX + "n") == -1


def test_two_app_processes_share_results_through_one_server(redis_url, redis_store):
    code = (
        "import sys; from hpo_race.app.redis_hall import open_redis_store;"
        "s = open_redis_store(sys.argv[1], 'X');"
        "from hpo_race.app.shared_cache import SharedCache;"
        "print(SharedCache('test', store=s).get_or_compute({'seed': 1}, lambda: {'by': 'other'}))"
    )
    subprocess.run([sys.executable, "-c", code, redis_url], check=True, timeout=60)
    mine = SharedCache("test", store=redis_store)
    assert mine.get_or_compute({"seed": 1}, lambda: {"by": "me"}) == {"by": "other"}
    assert redis_store.count(counter_name("test")) == 1


# ---------------------------------------------------------------- jobs sent to a queue


class ThreadQueue:
    """A job queue whose 'worker' is a thread of this process (the real one is Celery)."""

    def __init__(self, cache: SharedCache, compute, drop: int = 0) -> None:
        self.cache, self.compute, self.drop = cache, compute, drop
        self.sent: list[str] = []
        self.threads: list[threading.Thread] = []

    def send(self, kind: str, key: str, job) -> None:
        self.sent.append(key)
        if len(self.sent) <= self.drop:
            return  # its worker died: the job is lost, its claim lapses
        thread = threading.Thread(target=self._run, args=(key, job))
        self.threads.append(thread)
        thread.start()

    def _run(self, key: str, job) -> None:
        try:
            self.cache.fill(key, lambda: self.compute(job))
        except Exception:
            pass  # a failure is stored for the askers


def test_many_askers_of_one_result_send_one_job_computed_once(store):
    worker = SharedCache("test", store=store)
    release = threading.Event()

    def compute(job):
        assert release.wait(20)
        return {"rows": job["n"]}

    queue = ThreadQueue(worker, compute)
    askers = [SharedCache("test", store=store) for _ in range(2)]  # two app processes
    with ThreadPoolExecutor(8) as pool:
        answers = [
            pool.submit(askers[i % 2].get_or_send, {"seed": 3}, {"n": 5}, queue, 30)
            for i in range(8)
        ]
        wait_for(lambda: len(queue.sent) == 1 and askers[1].waits > 0, "one job sent")
        release.set()
        assert [a.result(30) for a in answers] == [{"rows": 5}] * 8
    assert queue.sent == [worker.key({"seed": 3})]
    assert store.count(counter_name("test")) == 1 and worker.computed == 1
    assert not worker.busy({"seed": 3})  # the worker gave the claim back


def test_a_job_whose_worker_died_is_sent_again_when_its_claim_lapses(store):
    worker = SharedCache("test", store=store, claim_seconds=0.5)
    queue = ThreadQueue(worker, lambda job: "second try", drop=1)
    asker = SharedCache("test", store=store, claim_seconds=0.5)
    assert asker.get_or_send({"seed": 4}, {}, queue, 30) == "second try"
    assert len(queue.sent) == 2 and store.count(counter_name("test")) == 1


def test_a_failed_job_answers_its_askers_at_once(store):
    worker = SharedCache("test", store=store)

    def compute(job):
        raise RuntimeError("the engine failed")

    queue = ThreadQueue(worker, compute)
    began = time.monotonic()
    with pytest.raises(JobFailed, match="RuntimeError: the engine failed"):
        SharedCache("test", store=store).get_or_send({"seed": 5}, {}, queue, 60)
    assert time.monotonic() - began < 10
    wait_for(lambda: not worker.busy({"seed": 5}), "the failed job's claim given back")


def test_a_job_from_another_version_of_the_app_is_refused(store):
    worker = SharedCache("test", store=store)
    store.claim("claim:test:0ld0ld0ld0ld:{}", 30)
    with pytest.raises(JobFailed, match="another version"):
        worker.fill("test:0ld0ld0ld0ld:{}", lambda: "wrong")
    assert not store.has("test:0ld0ld0ld0ld:{}") and store.count(counter_name("test")) == 0


def test_with_no_queue_worker_a_heavy_request_is_told_to_come_back(store):
    class Nowhere:
        def send(self, kind, key, job) -> None:
            pass

    asker = SharedCache("test", store=store)
    with pytest.raises(TimeoutError):
        asker.get_or_send({"seed": 6}, {}, Nowhere(), 0.3)
    work = HeavyWork(store=store, queue=Nowhere(), max_wait=5.0)
    assert work.queue_for() is None  # not inside a heavy request: computed here
    assert work.queue_for(batch=True) is not None  # many-seeds races always go there
    bounds: list[float] = []

    def wait(timeout: float):
        bounds.append(timeout)  # waited out for real below, in 0.3 s instead
        return asker.get_or_send({"seed": 7}, {}, queue, 0.3)

    with work.request(5.0, "a"):
        queue = work.queue_for()
        assert queue is not None
        with pytest.raises(BusyError, match="try again in 5 s"):
            work.wait_sent(2.0, wait)
    assert bounds == [5.0 + 4 * 2.0 + 30]  # as long as a computation on the pool may take


# ---------------------------------------------------------------- starting up


def test_a_bad_redis_url_is_one_clear_line_naming_the_variable():
    with pytest.raises(SystemExit) as bad:
        open_redis_store("http://example.org/", ENV_REDIS)
    assert str(bad.value).startswith(f"{ENV_REDIS}='http://example.org/' is not a Redis URL")
    url = f"redis://:s3cret@127.0.0.1:{free_port()}/0"  # nobody listens there
    with pytest.raises(SystemExit) as down:
        open_redis_store(url, ENV_REDIS)
    text = str(down.value)
    assert text.startswith(f"{ENV_REDIS}='redis://:***@127.0.0.1:") and "\n" not in text
    assert "s3cret" not in text and "cannot be used" in text
    assert shown_url("redis://user:pw@host:1/0") == "redis://user:***@host:1/0"


def _start(env: dict[str, str], code: str, tmp_path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )


def test_the_app_refuses_to_start_when_redis_cannot_be_reached(tmp_path):
    url = f"redis://127.0.0.1:{free_port()}/0"
    result = _start({ENV_REDIS: url}, "import hpo_race.app as a; a.create_app()", tmp_path)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines[-1].startswith(f"{ENV_REDIS}='{url}'") and "Traceback" not in result.stderr


def test_the_default_app_needs_neither_redis_nor_celery(tmp_path):
    """As after a plain ``pip install .``: with redis, celery and kombu unimportable the app
    starts and computes a many-seeds chunk, and it never loads Redis mode's module. (Optuna
    loads the redis client by itself when it happens to be installed, so only its absence
    proves anything.)"""
    code = (
        "import sys, json\n"
        "for name in ('redis', 'celery', 'kombu'):\n"
        "    sys.modules[name] = None  # import raises ImportError, as when not installed\n"
        "import hpo_race.app as a\n"
        "a.create_app()\n"
        "from hpo_race.app.model_data import check_many_request, many_chunk\n"
        "chunk = many_chunk(check_many_request({'landscape': 'smooth', 'landscape_seed': 0,"
        " 'budget': 200, 'seed': 9, 'total': 2, 'start': 0, 'count': 2}))\n"
        "print(json.dumps([len(chunk['races']), 'hpo_race.app.redis_hall' in sys.modules]))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != ENV_REDIS}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout.splitlines()[-1]) == [2, False]
