"""One result per settings for the whole machine: a small per-worker layer over a shared store.

``SharedCache.get_or_compute`` looks in this worker's memory (``app.cache.BoundedCache``, which
also makes this worker's threads wait for one another), then in the shared store
(``app.result_store``), and only then computes. Computing is single-flight across processes:
the first worker to *claim* the key computes and stores the result; the others poll the
store until it lands. A claim lapses after ``claim_seconds``, so a worker that crashed
mid-computation never leaves a key locked: the next asker claims it and computes. If the
computation fails, the claim is released and a waiting asker tries its own.

In Redis mode (``app.result_store.shared_queue``) a computation can be *sent* instead: the
asker claims the key as above and puts a job on the queue (``get_or_send``, or ``send`` to
start one without waiting); the claim passes to the job, and the queue worker that runs it
(``fill``) stores the result under the same key and gives the claim back, while every asker
polls the store for it as for any other worker's result. A worker that dies leaves a claim
that lapses: the next asker sends the job again. A job that fails leaves its error in the
store for ``FAILURE_SECONDS``, so its askers answer at once instead of waiting out their time.

Keys are ``kind:code fingerprint:canonical JSON of the settings``; only pure results of
settings are stored, never anything about who asked. Every computation is counted in the
store (``computations:<kind>``), which is how bench/bench_load.py counts engine work.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from hpo_race.app.cache import BoundedCache
from hpo_race.app.result_store import JobQueue, ResultStore, code_fingerprint, shared_store

#: Longest a claim holds: past the longest admitted wait plus computation (app/work_limits.py).
CLAIM_SECONDS = 90.0
#: How often a waiting asker looks for the result, at first and at most.
POLL_FIRST, POLL_MAX = 0.01, 0.2
#: How long a sent job's failure is kept for its askers.
FAILURE_SECONDS = 10.0

_FINGERPRINT = code_fingerprint()


def counter_name(kind: str) -> str:
    """The store's counter of computations of this kind."""
    return f"computations:{kind}"


class JobFailed(RuntimeError):
    """A queue worker could not compute a sent job (the message says why)."""


class SharedCache:
    """Results of one kind (race, model, many-seeds row), shared by the machine's workers."""

    def __init__(
        self,
        kind: str,
        memory: int = 16,
        store: ResultStore | None = None,
        claim_seconds: float = CLAIM_SECONDS,
    ) -> None:
        self.kind = kind
        self.memory = BoundedCache(maxsize=memory)
        self._store = store
        self.claim_seconds = claim_seconds
        self.computed = 0  # computations by this process
        self.waits = 0  # times this process waited for another's computation

    @property
    def store(self) -> ResultStore:
        return self._store if self._store is not None else shared_store()

    def key(self, settings: Any) -> str:
        """The store's key of these settings: kind, code fingerprint, canonical JSON."""
        return f"{self.kind}:{_FINGERPRINT}:{BoundedCache.key(settings)}"

    def peek(self, settings: Any) -> Any | None:
        """The result if some worker has it already, else None (never computes)."""
        found = self.memory.peek(settings)
        if found is not None:
            return found
        value = self.store.get(self.key(settings))
        if value is None:
            return None
        return self.memory.get_or_compute(settings, lambda: value)  # kept here for next time

    def has(self, settings: Any) -> bool:
        """Does some worker have the result already? (reads nothing)"""
        return self.memory.key(settings) in self.memory or self.store.has(self.key(settings))

    def get_or_compute(self, settings: Any, compute: Callable[[], Any]) -> Any:
        """The result for these settings, computed at most once on the machine at a time."""
        return self.memory.get_or_compute(settings, lambda: self._shared(settings, compute))

    def busy(self, settings: Any) -> bool:
        """Is some worker computing these settings right now? (a hint for sharing work)"""
        return self.store.get(self._claim_key(self.key(settings))) is not None

    def _claim_key(self, key: str) -> str:
        return "claim:" + key

    def owns(self, key: str) -> bool:
        """Is ``key`` one of this kind's keys for this very code? (a queue worker running
        another version of the app must not answer its jobs)"""
        return key.startswith(f"{self.kind}:{_FINGERPRINT}:")

    def get_or_send(self, settings: Any, job: Any, queue: JobQueue, timeout: float) -> Any:
        """The result for these settings, computed by a queue worker from ``job`` (sent at
        most once at a time for the whole hall); ``TimeoutError`` after ``timeout`` s."""
        return self.memory.get_or_compute(
            settings, lambda: self._sent(settings, job, queue, timeout)
        )

    def send(self, settings: Any, job: Any, queue: JobQueue) -> bool:
        """Start a queue worker on these settings unless someone has or computes them
        (a many-seeds chunk starts all its races at once); True if a job was sent."""
        key = self.key(settings)
        if self.memory.key(settings) in self.memory or self.store.has(key):
            return False
        return self._claim_and_send(key, job, queue)

    def _claim_and_send(self, key: str, job: Any, queue: JobQueue) -> bool:
        store = self.store
        if not store.claim(self._claim_key(key), self.claim_seconds):
            return False
        try:
            queue.send(self.kind, key, job)
        except BaseException:
            store.release(self._claim_key(key))
            raise
        return True

    def _sent(self, settings: Any, job: Any, queue: JobQueue, timeout: float) -> Any:
        store = self.store
        key = self.key(settings)
        deadline = time.monotonic() + timeout
        pause = POLL_FIRST
        while True:
            value = store.get(key)
            if value is not None:
                return value
            failure = store.get("failed:" + key)
            if failure is not None:
                raise JobFailed(failure)
            self._claim_and_send(key, job, queue)  # unless it is already on its way
            if time.monotonic() > deadline:
                raise TimeoutError(f"no queue worker answered {self.kind} within {timeout:g} s")
            self.waits += 1
            time.sleep(pause)  # a queue worker computes it; its result lands in the store
            pause = min(POLL_MAX, pause * 2)

    def fill(self, key: str, compute: Callable[[], Any]) -> bool:
        """In a queue worker: compute a sent job and store its result under ``key``, then
        give back the sender's claim. Two workers never compute one key at once (a job sent
        again after a lapsed claim finds the first still running and leaves it be); a
        failure is stored for the askers and raised. True if computed here."""
        store = self.store
        claim, running = self._claim_key(key), "running:" + key
        if store.has(key):
            store.release(claim)
            return False
        if not store.claim(running, self.claim_seconds):
            return False  # another worker computes it and gives the claim back
        try:
            if not self.owns(key):
                raise JobFailed("this queue worker runs another version of hpo-race")
            value = compute()
            self.computed += 1
            store.incr(counter_name(self.kind))
            store.set(key, value)
            return True
        except Exception as exc:
            store.set("failed:" + key, f"{type(exc).__name__}: {exc}", FAILURE_SECONDS)
            raise
        finally:
            store.release(running)
            store.release(claim)

    def _shared(self, settings: Any, compute: Callable[[], Any]) -> Any:
        store = self.store
        key = self.key(settings)
        claim = self._claim_key(key)
        pause = POLL_FIRST
        while True:
            value = store.get(key)
            if value is not None:
                return value
            if store.claim(claim, self.claim_seconds):
                try:
                    value = store.get(key)  # it may have landed between the look and the claim
                    if value is None:
                        value = compute()
                        self.computed += 1
                        store.incr(counter_name(self.kind))
                        store.set(key, value)
                    return value
                finally:
                    store.release(claim)
            self.waits += 1
            time.sleep(pause)  # another worker computes it; its result lands in the store
            pause = min(POLL_MAX, pause * 2)
