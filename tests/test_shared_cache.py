"""The machine-wide result cache (app/shared_cache.py over app/result_store.py): one
computation per key across processes and threads, claims that lapse when their holder dies,
a bounded size, and a one-line error for a directory it cannot use. (The semantics DiskStore
shares with Redis mode's store are tested on both in tests/test_redis_store.py.)"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from hpo_race.app.result_store import DiskStore, open_store
from hpo_race.app.shared_cache import SharedCache, counter_name

PROCESSES, THREADS = 2, 8


def _wait_for(condition, what: str, timeout: float = 30.0) -> None:
    event = threading.Event()
    for _ in range(int(timeout / 0.005)):
        if condition():
            return
        event.wait(0.005)
    raise AssertionError(f"{what} did not happen within {timeout} s")


def _ask(directory: str, total: int) -> list:
    """One process: THREADS threads ask for the same key; whoever computes waits until every
    asker of every process is asking, so they all ask while it is being computed."""
    store = DiskStore(directory)
    cache = SharedCache("test", store=store)

    def compute() -> dict:
        _wait_for(lambda: store.count("askers") == total, "every asker asking")
        return {"race": [1, 2, 3], "by": os.getpid()}

    def one(_: int) -> dict:
        store.incr("askers")
        return cache.get_or_compute({"seed": 7, "budget": 800}, compute)

    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(one, range(THREADS)))


@pytest.mark.slow
def test_sixteen_askers_in_two_processes_at_once_compute_once(tmp_path):
    context = multiprocessing.get_context("spawn")
    with context.Pool(PROCESSES) as pool:
        answers = pool.starmap(_ask, [(str(tmp_path), PROCESSES * THREADS)] * PROCESSES)
    values = [v for answer in answers for v in answer]
    assert len(values) == PROCESSES * THREADS
    assert len({v["by"] for v in values}) == 1  # one process computed it, the other read it
    assert all(v == values[0] for v in values)
    assert DiskStore(tmp_path).count(counter_name("test")) == 1


def test_equal_settings_in_any_key_order_share_one_entry(tmp_path):
    cache = SharedCache("test", store=DiskStore(tmp_path))
    calls = []
    cache.get_or_compute({"a": 1, "b": [2, 3]}, lambda: calls.append(1) or "x")
    other = SharedCache("test", store=DiskStore(tmp_path))  # another worker: empty memory
    assert other.get_or_compute({"b": [2, 3], "a": 1}, lambda: calls.append(1) or "y") == "x"
    assert calls == [1]
    assert other.peek({"a": 1, "b": [2, 3]}) == "x" and other.has({"b": [2, 3], "a": 1})
    assert other.peek({"a": 2}) is None and not other.has({"a": 2})


def test_a_claim_whose_holder_died_lapses_and_the_next_asker_computes(tmp_path):
    store = DiskStore(tmp_path)
    settings = {"seed": 1}
    dead = SharedCache("test", store=store, claim_seconds=1.0)
    # a worker that claimed the key and was killed before it stored anything
    assert store.claim("claim:" + dead.key(settings), 1.0)
    assert dead.busy(settings)
    asker = SharedCache("test", store=store)
    assert asker.get_or_compute(settings, lambda: "computed after the claim lapsed") == (
        "computed after the claim lapsed"
    )
    assert not asker.busy(settings) and store.count(counter_name("test")) == 1


def test_when_the_computer_fails_a_waiting_worker_computes_it(tmp_path):
    store = DiskStore(tmp_path)
    first, second = SharedCache("test", store=store), SharedCache("test", store=store)
    release = threading.Event()

    def failing():
        assert release.wait(20)
        raise RuntimeError("the engine failed")

    with ThreadPoolExecutor(2) as pool:
        failed = pool.submit(first.get_or_compute, {"k": 1}, failing)
        _wait_for(lambda: first.busy({"k": 1}), "the first claim")
        waiting = pool.submit(second.get_or_compute, {"k": 1}, lambda: "second")
        _wait_for(lambda: second.waits > 0, "the second worker waiting")
        release.set()
        with pytest.raises(RuntimeError, match="engine failed"):
            failed.result(timeout=20)
        assert waiting.result(timeout=20) == "second"
    assert store.count(counter_name("test")) == 1


def test_the_store_stays_within_its_size_bound(tmp_path):
    store = DiskStore(tmp_path, megabytes=1)
    for i in range(40):
        store.set(f"k{i}", os.urandom(100_000))
    kept = sum(store.has(f"k{i}") for i in range(40))
    assert 0 < kept < 40 and store.has("k39")  # the newest stay, the oldest went
    assert store._cache.volume() < 1.2 * 1024 * 1024


def test_an_unusable_cache_dir_is_one_clear_line(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("HPO_RACE_CACHE_DIR", str(blocker / "cache"))
    with pytest.raises(SystemExit) as stop:
        open_store()
    text = str(stop.value)
    assert text.startswith("HPO_RACE_CACHE_DIR=") and "\n" not in text
    assert "set it to a directory this user can write" in text
    monkeypatch.setenv("HPO_RACE_CACHE_DIR", str(tmp_path / "fine"))
    monkeypatch.setenv("HPO_RACE_CACHE_MB", "lots")
    with pytest.raises(SystemExit, match="HPO_RACE_CACHE_MB must be a whole number"):
        open_store()
    monkeypatch.delenv("HPO_RACE_CACHE_MB")
    assert open_store().directory == tmp_path / "fine"
    assert (tmp_path / "fine").stat().st_mode & 0o077 == 0  # private to the user


@pytest.mark.slow
def test_the_app_refuses_to_start_with_an_unusable_cache_dir(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = subprocess.run(
        [sys.executable, "-c", "import hpo_race.app as a; a.create_app()"],
        env={**os.environ, "HPO_RACE_CACHE_DIR": str(blocker / "cache")},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(tmp_path),
    )
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines[-1].startswith("HPO_RACE_CACHE_DIR=") and "Traceback" not in result.stderr
