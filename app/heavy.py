"""Heavy work kept out of the way of cheap requests: a small niced pool and a per-client cap.

A request is *heavy* when its estimated cost (``app.work_limits``) is at least
``HEAVY_SECONDS``. Then:

- it holds one of its client's job tickets while it runs; a client (a remote address) holds
  at most ``CLIENT_JOBS`` at once across all workers of the machine (the tickets live in the
  shared store, ``app.result_store``, and lapse on their own if a worker dies), and an extra
  request is told when to try again, from the running jobs' estimates;
- every engine computation it starts runs on this worker's heavy pool: ``HPO_RACE_HEAVY_SLOTS``
  threads (default 1), lowered in CPU priority (nice 10), so page loads, static files and
  ordinary races, computed on the request threads, never wait behind them and win the CPU
  when both want it. When the pool's queue already holds more than ``MAX_WAIT_SECONDS`` of
  estimated work, a new heavy request is told when to try again instead of waiting.

Cheap requests, and answers already in the cache, never touch the pool or the tickets.

In Redis mode (``HPO_RACE_REDIS_URL``) the heavy pool is the hall's job queue: ``queue_for``
gives it for a computation inside a heavy request (and for batch work, many-seeds races,
always), the caller sends the job there (``app.shared_cache.SharedCache.get_or_send``) and
waits for its result in the store, at most as long as a computation on the pool may take,
without holding a core. Tickets work as before, shared by every app machine.
"""

from __future__ import annotations

import math
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from typing import TypeVar

from flask import has_request_context, request

from hpo_race.app.result_store import JobQueue, ResultStore, shared_queue, shared_store

T = TypeVar("T")

#: Estimated seconds from which a request is heavy.
HEAVY_SECONDS = 1.0
#: Heavy requests one client may have running at once (across all workers).
CLIENT_JOBS = 2
#: Estimated seconds of queued heavy work past which a new heavy request is turned away.
MAX_WAIT_SECONDS = 30.0
#: How long past its estimate a client's ticket holds (a crashed worker's ticket then lapses).
TICKET_GRACE = 60.0
ENV_SLOTS = "HPO_RACE_HEAVY_SLOTS"
HEAVY_NICE = 10


class BusyError(ValueError):
    """Heavy work refused for now; the message says when to try again (a ``ValueError``, so
    ``app.race_request.reply`` shows it in the alert line like a bad setting)."""


def client_busy(seconds: float) -> str:
    """The sentence a client with too many heavy requests running sees."""
    return f"The server is busy with your earlier requests; try again in {_whole(seconds)} s."


def server_busy(seconds: float) -> str:
    """The sentence a heavy request sees when the heavy queue is full."""
    return (
        f"The server is busy with other students' heavy requests; try again in {_whole(seconds)} s."
    )


def _whole(seconds: float) -> int:
    return max(1, math.ceil(seconds))


def client_address() -> str:
    """Who is asking: the request's remote address (outside a request, "local")."""
    if has_request_context():
        return request.remote_addr or "unknown"
    return "local"


def slots_from_env() -> int:
    """Heavy pool threads per worker (``HPO_RACE_HEAVY_SLOTS``, 1–16, default 1)."""
    text = os.environ.get(ENV_SLOTS, "1")
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 16:
        raise SystemExit(f"{ENV_SLOTS} must be a whole number from 1 to 16, got {text!r}")
    return value


def _lower_priority() -> None:
    """Pool threads yield the CPU to request threads (Linux: per-thread nice)."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HEAVY_NICE)
    except (AttributeError, OSError):
        pass


class HeavyWork:
    """One worker's heavy pool and its view of the clients' tickets."""

    def __init__(
        self,
        slots: int = 1,
        client_jobs: int = CLIENT_JOBS,
        max_wait: float = MAX_WAIT_SECONDS,
        store: ResultStore | None = None,
        queue: JobQueue | None = None,
    ) -> None:
        self.slots = slots
        self.client_jobs = client_jobs
        self.max_wait = max_wait
        self._store = store
        self._queue_given = queue
        #: False in a queue worker (``app.hall_worker``): it computes what it is sent and
        #: never sends work on to the queue it is serving.
        self.sends = True
        self._pool: ThreadPoolExecutor | None = None
        self._pid = 0
        self._lock = threading.Lock()
        #: computations submitted and not finished: token -> (estimate, started at or None)
        self._queue: dict[str, tuple[float, float | None]] = {}
        self._local = threading.local()

    @property
    def store(self) -> ResultStore:
        return self._store if self._store is not None else shared_store()

    @property
    def queue(self) -> JobQueue | None:
        return self._queue_given if self._queue_given is not None else shared_queue()

    def queue_for(self, batch: bool = False) -> JobQueue | None:
        """The hall's job queue if this computation goes there: Redis mode, and inside a
        heavy request (any time for ``batch`` work); else None (compute it here)."""
        if not self.sends or getattr(self._local, "pooled", False):
            return None
        if not (batch or getattr(self._local, "heavy", False)):
            return None
        return self.queue

    def wait_sent(self, seconds: float, wait: Callable[[float], T]) -> T:
        """``wait(timeout)`` for a sent job's result, bounded as a computation on the pool
        (``compute``) is; past it the client is told when to come back (``BusyError``)."""
        try:
            return wait(self.max_wait + 4 * seconds + 30)
        except TimeoutError:
            raise BusyError(server_busy(self.max_wait)) from None

    def queued_seconds(self) -> float:
        """Estimated seconds of work ahead of a new computation on this worker's pool."""
        now = time.monotonic()
        with self._lock:
            left = [
                est if began is None else max(0.0, est - (now - began))
                for est, began in self._queue.values()
            ]
        return sum(left) / self.slots

    def has_free_slot(self) -> bool:
        """Would a computation start at once? (always, outside a heavy request)"""
        if not getattr(self._local, "heavy", False) or getattr(self._local, "pooled", False):
            return True
        with self._lock:
            return len(self._queue) < self.slots

    def running(self) -> int:
        """Computations submitted to the pool and not finished yet."""
        with self._lock:
            return len(self._queue)

    @contextmanager
    def request(self, seconds: float, client: str | None = None) -> Iterator[None]:
        """Around a request estimated at ``seconds``: a heavy one holds a client ticket and
        sends its computations to the pool; ``BusyError`` when it has to come back later."""
        if seconds < HEAVY_SECONDS or getattr(self._local, "heavy", False):
            yield
            return
        wait = self.queued_seconds()
        if wait > self.max_wait:
            raise BusyError(server_busy(wait))
        group = f"jobs:{client or client_address()}"
        token = uuid.uuid4().hex
        finish = time.time() + wait + seconds
        held = self.store.join(group, token, finish + TICKET_GRACE, self.client_jobs)
        if held is not None:
            raise BusyError(client_busy(min(held) - TICKET_GRACE - time.time()))
        self._local.heavy = True
        try:
            yield
        finally:
            self._local.heavy = False
            self.store.leave(group, token)

    def compute(self, seconds: float, work: Callable[[], T]) -> T:
        """Run one engine computation: on the heavy pool inside a heavy request (or inline
        when already on it), else right here."""
        if not getattr(self._local, "heavy", False) or getattr(self._local, "pooled", False):
            return work()
        token = uuid.uuid4().hex
        with self._lock:
            self._queue[token] = (seconds, None)

        def job() -> T:
            with self._lock:
                self._queue[token] = (seconds, time.monotonic())
            self._local.pooled = True
            try:
                return work()
            finally:
                self._local.pooled = False

        future = self._executor().submit(job)
        future.add_done_callback(lambda _: self._forget(token))
        try:
            return future.result(timeout=self.max_wait + 4 * seconds + 30)
        except FutureTimeout:
            raise BusyError(server_busy(self.queued_seconds())) from None

    def spawn(self, seconds: float, work: Callable[[], object]) -> bool:
        """Start ``work`` on an idle heavy pool without waiting for it (a heavy request's
        read-ahead); False, and nothing started, outside a heavy request or when busy."""
        if not getattr(self._local, "heavy", False) or getattr(self._local, "pooled", False):
            return False
        token = uuid.uuid4().hex
        with self._lock:
            if self._queue:
                return False
            self._queue[token] = (seconds, time.monotonic())

        def job() -> None:
            self._local.pooled = True
            try:
                work()
            except Exception:  # a read-ahead that fails is asked for (and reported) later
                pass
            finally:
                self._local.pooled = False

        self._executor().submit(job).add_done_callback(lambda _: self._forget(token))
        return True

    def _forget(self, token: str) -> None:
        with self._lock:
            self._queue.pop(token, None)

    def _executor(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None or self._pid != os.getpid():  # a fork gets a pool of its own
                self._pool = ThreadPoolExecutor(
                    self.slots, thread_name_prefix="heavy", initializer=_lower_priority
                )
                self._pid = os.getpid()
            return self._pool
