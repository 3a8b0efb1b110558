"""Redis mode (``HPO_RACE_REDIS_URL``): the result store and the job queue on one Redis server.

Loaded only when the variable is set (``app.result_store`` imports it by name then), so the
embedded default never imports redis or celery. Two things live here:

- ``RedisStore``, a ``ResultStore`` with DiskStore's meaning, built on atomic Redis commands:
  values are JSON (never pickles: a value read from the network is only ever parsed), stored
  with a time to live so that a server started with ``--maxmemory-policy volatile-lru``
  evicts old results and never the job queue or the counters; a claim is ``SET NX PX`` (it
  lapses on its own); a counter is ``INCR``; a client's job tickets are a sorted set by
  expiry time that one Lua script trims, counts and adds to in one step.
- ``CeleryQueue``, the web side of the job queue: it sends a computation's name, store key
  and JSON arguments to the Celery queue ``QUEUE`` on the same Redis, by task name only, so
  a web process never imports the engine's task module; ``app.hall_worker`` is the worker.

Why a plain Celery task behind the existing store rather than Dash's ``CeleryManager``
(background callbacks): a background callback changes the page's protocol (a job id, then
polling requests), caches per callback call instead of per race, and would bypass the
per-client tickets and cost caps of ``app.heavy``. Here the page sends the same request and
gets the same answer; only where the engine runs changes, and the result lands under the
same key every app machine reads.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import redis
from celery import Celery

#: Every key of ours starts with this (Celery's own keys share the database).
PREFIX = "hpo-race:"
#: Results live this long, then go; under memory pressure ``volatile-lru`` evicts them sooner.
RESULT_SECONDS = 7 * 24 * 3600
#: The Celery queue and the one task the app sends (``app.hall_worker`` defines it).
QUEUE = "hpo-race"
TASK = "hpo_race.compute"
#: Seconds to reach the server before saying it cannot be reached.
CONNECT_SECONDS = 5.0

#: Drop a group's lapsed members; refuse when ``limit`` are live (returning their expiry
#: times), else add the member and keep the group until its last member lapses.
_JOIN = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[4])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  return redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
local ms = math.ceil((tonumber(last[2]) - tonumber(ARGV[4])) * 1000)
redis.call('PEXPIRE', KEYS[1], math.max(1000, ms))
return false
"""


def _encode(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


class RedisStore:
    """A ``ResultStore`` on a Redis server, shared by every process of every machine using it."""

    def __init__(self, client: redis.Redis, result_seconds: int = RESULT_SECONDS) -> None:
        self.client = client
        self.result_seconds = result_seconds
        self._join = client.register_script(_JOIN)

    def _key(self, key: str) -> str:
        return PREFIX + key

    def get(self, key: str) -> Any | None:
        raw = self.client.get(self._key(key))
        return None if raw is None else json.loads(raw)

    def has(self, key: str) -> bool:
        return bool(self.client.exists(self._key(key)))

    def set(self, key: str, value: Any, seconds: float | None = None) -> None:
        ms = int(1000 * (self.result_seconds if seconds is None else seconds))
        self.client.set(self._key(key), _encode(value), px=max(1, ms))

    def claim(self, key: str, seconds: float) -> bool:
        ms = max(1, int(seconds * 1000))
        return bool(self.client.set(self._key(key), _encode(os.getpid()), nx=True, px=ms))

    def release(self, key: str) -> None:
        self.client.delete(self._key(key))

    def incr(self, counter: str) -> int:
        return int(self.client.incr(self._key(counter)))

    def count(self, counter: str) -> int:
        raw = self.client.get(self._key(counter))
        return 0 if raw is None else int(raw)

    def join(self, group: str, member: str, until: float, limit: int) -> list[float] | None:
        held = self._join(keys=[self._key(group)], args=[member, until, limit, time.time()])
        return None if held is None else sorted(float(s) for s in held[1::2])

    def leave(self, group: str, member: str) -> None:
        self.client.zrem(self._key(group), member)

    def close(self) -> None:
        self.client.close()


def shown_url(url: str) -> str:
    """The URL as an error may print it: a password replaced by ***."""
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        host = parts.netloc.rpartition("@")[2]
        user = parts.username or ""
        return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))
    except ValueError:
        return "(unreadable)"


def open_redis_store(url: str, variable: str) -> RedisStore:
    """A store on the server ``url`` names, checked by a PING now; else a one-line
    ``SystemExit`` naming ``variable``, so a typo stops the app at start, not mid-lecture."""
    shown = shown_url(url)
    try:
        client = redis.Redis.from_url(
            url, socket_connect_timeout=CONNECT_SECONDS, health_check_interval=30
        )
    except ValueError as exc:
        raise SystemExit(
            f"{variable}={shown!r} is not a Redis URL ({exc}); use redis://host:port/db."
        ) from None
    try:
        client.ping()
    except redis.RedisError as exc:
        raise SystemExit(
            f"{variable}={shown!r}: the Redis server cannot be used ({exc}); start "
            "redis-server there or set the variable to a server that answers."
        ) from None
    return RedisStore(client)


def celery_app(url: str) -> Celery:
    """The Celery app of the hall's job queue on ``url``: JSON messages only (a worker
    never unpickles what it is sent), no result backend (results go to the store), one
    task at a time per worker process, acknowledged when it starts (a job whose worker died
    is sent again by the web process that waits for it once its claim lapses)."""
    app = Celery("hpo_race", broker=url, set_as_current=False)
    app.conf.update(
        task_default_queue=QUEUE,
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=CONNECT_SECONDS,
        broker_transport_options={"socket_connect_timeout": CONNECT_SECONDS},
        worker_hijack_root_logger=False,
    )
    return app


class CeleryQueue:
    """The web side of the job queue: ``send`` puts one computation on it."""

    def __init__(self, url: str) -> None:
        self.app = celery_app(url)

    def send(self, kind: str, key: str, job: Any) -> None:
        self.app.send_task(TASK, args=[kind, key, job], queue=QUEUE)
