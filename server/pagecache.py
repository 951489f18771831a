"""Values the pages compute from the whole store (the model table, charts), kept per store generation.

A value is computed once per generation even when several requests ask for it at the same time, and a value
computed while a write happened is not kept for the new generation.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class PageCache:
    """Per-generation values of one engine."""

    def __init__(self, engine: Any):
        self._engine = weakref.ref(engine)
        self._lock = threading.Lock()
        self._generation = -1
        self._values: dict[str, Any] = {}
        self._computing: dict[str, threading.Lock] = {}

    def _current(self, generation: int) -> None:
        if generation != self._generation:
            self._generation = generation
            self._values = {}
            self._computing = {}

    def ready(self, key: str) -> bool:
        """Whether ``key`` is built for the store as it is now."""
        engine = self._engine()
        with self._lock:
            return engine is not None and self._generation == engine.generation and key in self._values

    def get(self, key: str, compute: Callable[[], T]) -> T:
        """The value of ``key`` for the store as it is now."""
        engine = self._engine()
        generation = engine.generation if engine is not None else 0
        with self._lock:
            self._current(generation)
            if key in self._values:
                return self._values[key]
            gate = self._computing.setdefault(key, threading.Lock())
        with gate:
            with self._lock:
                if self._generation == generation and key in self._values:
                    return self._values[key]
            value = compute()
            with self._lock:
                if self._generation == generation:
                    self._values[key] = value
        return value


_CACHES: weakref.WeakKeyDictionary[Any, PageCache] = weakref.WeakKeyDictionary()
_CACHES_LOCK = threading.Lock()


def page_cache(engine: Any) -> PageCache:
    """The engine's page cache."""
    with _CACHES_LOCK:
        cache = _CACHES.get(engine)
        if cache is None:
            cache = _CACHES[engine] = PageCache(engine)
        return cache
