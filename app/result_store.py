"""Where results live between requests: one store shared by every worker of a machine.

Races, model views and many-seeds rows are pure functions of their settings, so any worker
may answer from any other worker's result. ``ResultStore`` is the small interface the app
needs (values, claims that expire, counters, a per-client job list); ``DiskStore`` is the
embedded default, a ``diskcache`` directory that every gunicorn worker on the machine opens.
When ``HPO_RACE_REDIS_URL`` is set, ``RedisStore`` (``app.redis_hall``, loaded by name only
then, so the default never imports redis or celery) implements the same methods on a Redis
server that several app machines share, and ``shared_queue`` gives the Celery job queue on it
where heavy computations go (``app.hall_worker`` computes them); without it there is no queue.

The directory is ``HPO_RACE_CACHE_DIR`` (default: ``hpo-race-cache-<uid>`` in the system's
temp dir, created private to the user), bounded to ``HPO_RACE_CACHE_MB`` megabytes (default
512): past it, the entries stored longest ago are evicted. Keys carry a fingerprint of the
installed code, so results of an older version are never served after an upgrade.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import tempfile
import threading
import time
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol

import diskcache

ENV_DIR = "HPO_RACE_CACHE_DIR"
ENV_MB = "HPO_RACE_CACHE_MB"
ENV_REDIS = "HPO_RACE_REDIS_URL"
DEFAULT_MB = 512
MAX_MB = 1_000_000
#: The package's folders whose code decides a result (hpo_race/app, strategies, landscapes).
_PACKAGE = Path(__file__).resolve().parent.parent


class ResultStore(Protocol):
    """What the shared cache and the job limits need from a store (on disk, or on Redis)."""

    def get(self, key: str) -> Any | None:
        """The value stored under ``key``, or None."""

    def has(self, key: str) -> bool:
        """Is a value stored under ``key``? (without reading it)"""

    def set(self, key: str, value: Any, seconds: float | None = None) -> None:
        """Store ``value`` (never None, JSON-able) under ``key``, for ``seconds`` if given;
        the store may evict it sooner."""

    def claim(self, key: str, seconds: float) -> bool:
        """Atomically take ``key`` if nobody holds it; the claim lapses after ``seconds``."""

    def release(self, key: str) -> None:
        """Give a claim back."""

    def incr(self, counter: str) -> int:
        """Add one to a counter (shared by all workers) and return it."""

    def count(self, counter: str) -> int:
        """A counter's value (0 if never counted)."""

    def join(self, group: str, member: str, until: float, limit: int) -> list[float] | None:
        """Add ``member`` to ``group`` until the time ``until`` (``time.time()``) unless the
        group already has ``limit`` live members: then return their ``until`` times."""

    def leave(self, group: str, member: str) -> None:
        """Remove ``member`` from ``group``."""

    def close(self) -> None:
        """Let go of the files or connections (a store opened only to check it)."""


class JobQueue(Protocol):
    """Where heavy computations go in Redis mode (``app.redis_hall.CeleryQueue``)."""

    def send(self, kind: str, key: str, job: Any) -> None:
        """Queue one computation: its kind, the store key its result goes to, and its JSON
        arguments; a queue worker computes it and stores the result under ``key``."""


class DiskStore:
    """A ``ResultStore`` on a diskcache directory, shared by every process that opens it."""

    def __init__(self, directory: str | os.PathLike[str], megabytes: int = DEFAULT_MB) -> None:
        self.directory = Path(directory)
        self.megabytes = megabytes
        self._cache = diskcache.Cache(
            str(self.directory),
            size_limit=megabytes * 1024 * 1024,
            eviction_policy="least-recently-stored",
            timeout=30,  # seconds a busy SQLite waits before giving up
        )

    def get(self, key: str) -> Any | None:
        return self._cache.get(key)

    def has(self, key: str) -> bool:
        return key in self._cache

    def set(self, key: str, value: Any, seconds: float | None = None) -> None:
        self._cache.set(key, value, expire=seconds)

    def claim(self, key: str, seconds: float) -> bool:
        return bool(self._cache.add(key, os.getpid(), expire=seconds))

    def release(self, key: str) -> None:
        self._cache.delete(key)

    def incr(self, counter: str) -> int:
        return int(self._cache.incr(counter, 1, default=0))

    def count(self, counter: str) -> int:
        return int(self._cache.get(counter, 0))

    def join(self, group: str, member: str, until: float, limit: int) -> list[float] | None:
        now = time.time()
        with self._cache.transact():
            members = {m: u for m, u in self._cache.get(group, {}).items() if u > now}
            if len(members) >= limit:
                return sorted(members.values())
            members[member] = until
            self._keep(group, members, now)
        return None

    def leave(self, group: str, member: str) -> None:
        with self._cache.transact():
            members = self._cache.get(group, {})
            if member in members:
                del members[member]
                self._keep(group, members, time.time())

    def _keep(self, group: str, members: dict[str, float], now: float) -> None:
        """Store a group until its last member lapses (an empty group is dropped)."""
        if members:
            self._cache.set(group, members, expire=max(1.0, max(members.values()) - now))
        else:
            self._cache.delete(group)

    def close(self) -> None:
        self._cache.close()


def code_fingerprint() -> str:
    """A short hash of the installed code and data, so a new version never reads old results."""
    digest = hashlib.sha256()
    for folder in ("app", "strategies", "landscapes"):
        for path in sorted((_PACKAGE / folder).rglob("*")):
            if path.suffix in (".py", ".json") and "__pycache__" not in path.parts:
                digest.update(path.relative_to(_PACKAGE).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def default_directory() -> Path:
    """The per-user default: hpo-race-cache-<uid> in the system's temp dir."""
    uid = os.getuid() if hasattr(os, "getuid") else 0
    return Path(tempfile.gettempdir()) / f"hpo-race-cache-{uid}"


def _megabytes() -> int:
    text = os.environ.get(ENV_MB)
    if text is None:
        return DEFAULT_MB
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_MB:
        raise SystemExit(f"{ENV_MB} must be a whole number of megabytes from 1 to {MAX_MB}")
    return value


def redis_url() -> str | None:
    """``HPO_RACE_REDIS_URL`` if set (Redis mode), else None (the embedded default)."""
    return os.environ.get(ENV_REDIS) or None


def _redis_hall() -> ModuleType:
    """Redis mode's module, imported by name only when ``HPO_RACE_REDIS_URL`` is set (listed
    in tests/test_imports.py), so the embedded default never loads redis or celery."""
    try:
        return importlib.import_module("hpo_race.app.redis_hall")
    except ImportError as exc:
        raise SystemExit(
            f"{ENV_REDIS} is set but Redis mode's packages are missing ({exc}); "
            "install them with: pip install 'hpo-race[hall]'"
        ) from None


def open_store() -> ResultStore:
    """The store the environment names, or a one-line ``SystemExit`` saying why not."""
    url = redis_url()
    if url is not None:
        return _redis_hall().open_redis_store(url, ENV_REDIS)
    text = os.environ.get(ENV_DIR)
    directory = Path(text) if text else default_directory()
    megabytes = _megabytes()
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        if hasattr(os, "getuid") and directory.stat().st_uid != os.getuid():
            raise PermissionError("it belongs to another user")
        probe = directory / f".probe-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
        return DiskStore(directory, megabytes)
    except (OSError, diskcache.Timeout) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise SystemExit(
            f"{ENV_DIR}={str(directory)!r} cannot hold the result cache ({why}); "
            "set it to a directory this user can write."
        ) from None


_opened: dict[int, ResultStore] = {}
_queues: dict[int, JobQueue | None] = {}
_lock = threading.Lock()


def shared_store() -> ResultStore:
    """This process's handle on the machine's store, opened on first use (after a fork, anew)."""
    pid = os.getpid()
    with _lock:
        if pid not in _opened:
            _opened.clear()
            _opened[pid] = open_store()
        return _opened[pid]


def shared_queue() -> JobQueue | None:
    """This process's handle on the hall's job queue in Redis mode, else None: then every
    computation runs in the web process that needs it."""
    pid = os.getpid()
    with _lock:
        if pid not in _queues:
            _queues.clear()
            url = redis_url()
            queue = _redis_hall().CeleryQueue(url) if url else None
            _queues[pid] = queue
        return _queues[pid]
