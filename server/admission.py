"""Admission control: refuse work the server cannot take with 429 and Retry-After, before running it.

Three budgets, all checked before a SPARQL operation (query, update, Graph Store request) is parsed or run:

- a bounded semaphore on the operations in flight (``MAX_CONCURRENT``): past it, the request waits at most
  ``ADMISSION_WAIT`` seconds for a slot and is then refused, so a flood queues in nobody's memory;
- at most ``CLIENT_CONCURRENT`` operations in flight per client address: a client running expensive
  queries holds that many slots at most, and gets 429 for more, while others are still served;
- a token bucket per client address (``CLIENT_RATE`` requests per second, bursts of ``CLIENT_BURST``): a
  client over its budget is refused until its bucket refills. ``CLIENT_RATE = 0`` turns it off.

A refused request costs one dictionary look-up and a short response; the operation itself never starts.
No Flask here.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass


@dataclass(frozen=True)
class Refusal:
    """Why a request was refused and when to come back (seconds, for Retry-After)."""

    reason: str
    retry_after: int


class TokenBuckets:
    """One token bucket per client key, the least recently seen forgotten past ``max_clients``."""

    def __init__(self, rate: float, burst: int, max_clients: int = 10_000):
        self.rate = float(rate)
        self.burst = max(1, int(burst))
        self.max_clients = max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str, now: float | None = None) -> float:
        """Take one token for ``key``: 0.0 when granted, else the seconds until one is available."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.pop(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            wait = 0.0
            if tokens >= 1.0:
                tokens -= 1.0
            else:
                wait = (1.0 - tokens) / self.rate
            self._buckets[key] = (tokens, now)
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
            return wait


class Admission:
    """The server's two budgets; ``enter`` either admits (call ``leave`` after) or returns a Refusal."""

    def __init__(self, max_concurrent: int, wait: float = 0.0, client_rate: float = 0.0, client_burst: int = 1,
                 client_concurrent: int = 0):
        self.max_concurrent = max(1, int(max_concurrent))
        #: operations one client may have in flight (0: no per-client cap)
        self.client_concurrent = max(0, int(client_concurrent))
        self._in_flight: dict[str, int] = {}
        self.wait = max(0.0, float(wait))
        self._slots = threading.BoundedSemaphore(self.max_concurrent)
        self.buckets = TokenBuckets(client_rate, client_burst) if client_rate and client_rate > 0 else None
        self.refused = 0
        self.admitted = 0
        self._count_lock = threading.Lock()

    def enter(self, client: str) -> Refusal | None:
        """Admit one operation for ``client`` or say why not (the per-client budget is checked first)."""
        if self.buckets is not None:
            wait = self.buckets.take(client)
            if wait > 0:
                return self._refuse(f"too many requests from this client; try again in {math.ceil(wait)} s",
                                    math.ceil(wait))
        with self._count_lock:
            running = self._in_flight.get(client, 0)
            if self.client_concurrent and running >= self.client_concurrent:
                self.refused += 1
                return Refusal(f"this client already has {running} operations running; wait for them to finish", 1)
            self._in_flight[client] = running + 1
        if not self._slots.acquire(timeout=self.wait) if self.wait else not self._slots.acquire(blocking=False):
            self._forget(client)
            return self._refuse(f"the server is busy ({self.max_concurrent} operations running); try again soon", 1)
        with self._count_lock:
            self.admitted += 1
        return None

    def leave(self, client: str) -> None:
        """Give back the slots an admitted operation of ``client`` held."""
        self._slots.release()
        self._forget(client)

    def _forget(self, client: str) -> None:
        with self._count_lock:
            left = self._in_flight.get(client, 1) - 1
            if left > 0:
                self._in_flight[client] = left
            else:
                self._in_flight.pop(client, None)

    def _refuse(self, reason: str, retry_after: int) -> Refusal:
        with self._count_lock:
            self.refused += 1
        return Refusal(reason, max(1, retry_after))
