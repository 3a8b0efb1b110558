"""A small, bounded, thread-safe LRU cache of race traces keyed by their settings.

A lecture hall asks for the same default race a hundred times; computing it once per
worker is enough. Races are pure functions of their settings, so caching is safe, and the
bound keeps memory flat however many different settings arrive. It is single-flight: when
threads ask for the same missing key at once, one computes and the others wait for its
result (without it, 100 identical requests on 8 threads ran 16 computations).
"""

from __future__ import annotations

import copy
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any


class BoundedCache:
    """Least-recently-used mapping from a JSON-able key to a value, at most ``maxsize`` items."""

    def __init__(self, maxsize: int = 64) -> None:
        if maxsize < 1:
            raise ValueError("maxsize must be at least 1")
        self.maxsize = maxsize
        self._items: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()
        #: keys being computed now -> the event set when their value (or failure) is in
        self._pending: dict[str, threading.Event] = {}
        self.hits = 0
        self.misses = 0
        self.waiting = 0  # threads now waiting for another's computation

    @staticmethod
    def key(settings: Any) -> str:
        """Canonical text of the settings, so equal settings share one entry."""
        return json.dumps(settings, sort_keys=True, separators=(",", ":"))

    def peek(self, settings: Any) -> Any | None:
        """A copy of the cached value for these settings, or None (never computes)."""
        key = self.key(settings)
        with self._lock:
            if key not in self._items:
                return None
            self._items.move_to_end(key)
            value = self._items[key]
        return copy.deepcopy(value)

    def get_or_compute(self, settings: Any, compute: Callable[[], Any]) -> Any:
        """The cached value for these settings, computing (outside the lock) on a miss.

        A thread that finds the key being computed by another waits for that result instead
        of computing it again; if that computation fails, the waiting thread tries its own.
        Returns a deep copy so a caller that edits its result cannot corrupt the cache.
        """
        key = self.key(settings)
        while True:
            with self._lock:
                if key in self._items:
                    self._items.move_to_end(key)
                    self.hits += 1
                    return copy.deepcopy(self._items[key])
                running = self._pending.get(key)
                if running is None:
                    self.misses += 1
                    running = self._pending[key] = threading.Event()
                    break
            with self._lock:
                self.waiting += 1
            running.wait()
            with self._lock:
                self.waiting -= 1
        try:
            value = compute()
            with self._lock:
                self._items[key] = value
                self._items.move_to_end(key)
                while len(self._items) > self.maxsize:
                    self._items.popitem(last=False)
        finally:
            with self._lock:
                del self._pending[key]
            running.set()
        return copy.deepcopy(value)

    def __contains__(self, key: object) -> bool:
        """Is this canonical key (``key(settings)``) cached?"""
        with self._lock:
            return key in self._items

    def __len__(self) -> int:
        return len(self._items)
