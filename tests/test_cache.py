"""app/cache.py's BoundedCache under concurrency: one computation per key, however many
threads ask at once (a lecture hall opening the teacher's link)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from hpo_race.app.cache import BoundedCache

THREADS = 16


def wait_until(condition, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.001)


def test_threads_asking_for_the_same_race_at_once_compute_it_once():
    cache = BoundedCache(maxsize=4)
    release = threading.Event()
    calls = []

    def compute():
        calls.append(threading.get_ident())
        assert release.wait(20)
        return {"race": [1, 2, 3]}

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = [pool.submit(cache.get_or_compute, {"seed": 7}, compute) for _ in range(THREADS)]
        wait_until(lambda: cache.waiting == THREADS - 1)  # all but the one computing
        assert len(calls) == 1
        release.set()
        values = [r.result(timeout=20) for r in results]
    assert values == [{"race": [1, 2, 3]}] * THREADS
    assert len(calls) == 1 and cache.misses == 1 and cache.hits == THREADS - 1
    values[0]["race"].append(4)  # each caller has its own copy
    assert cache.get_or_compute({"seed": 7}, compute) == {"race": [1, 2, 3]}


def test_when_the_computation_fails_a_waiting_thread_computes_it_itself():
    cache = BoundedCache(maxsize=4)
    release = threading.Event()
    calls = []

    def compute():
        calls.append(1)
        if len(calls) == 1:
            assert release.wait(20)
            raise RuntimeError("the first computation fails")
        return "ok"

    with ThreadPoolExecutor(max_workers=2) as pool:
        first = pool.submit(cache.get_or_compute, "key", compute)
        wait_until(lambda: len(calls) == 1)
        second = pool.submit(cache.get_or_compute, "key", compute)
        wait_until(lambda: cache.waiting == 1)
        release.set()
        with pytest.raises(RuntimeError, match="first computation fails"):
            first.result(timeout=20)
        assert second.result(timeout=20) == "ok"
    assert len(calls) == 2 and cache.waiting == 0


def test_different_keys_do_not_wait_for_each_other():
    cache = BoundedCache(maxsize=4)
    release = threading.Event()

    def slow():
        assert release.wait(20)
        return "slow"

    with ThreadPoolExecutor(max_workers=2) as pool:
        held = pool.submit(cache.get_or_compute, "a", slow)
        wait_until(lambda: cache.misses == 1)
        # another key is computed at once while "a" is still being computed
        assert pool.submit(cache.get_or_compute, "b", lambda: "quick").result(timeout=20) == "quick"
        assert not held.done()
        release.set()
        assert held.result(timeout=20) == "slow"
