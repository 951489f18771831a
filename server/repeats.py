"""Repeated queries answered in the request thread, once a worker has shown they are cheap.

Queries run in worker processes so that a timeout can stop them (pyoxigraph cannot interrupt a query), at
the price of a hop to another process and back: a pipe round trip and two wake-ups, measured at about
0.26 ms of the server's CPU per count by category on a small virtual machine (3 %), and its latency. But a
query run again on the same snapshot does the same work again. So a worker times every query it answers,
and the same request (text, dataset, format, row cap) on the same snapshot that finished within the budget
(default 0.1 s, at most a tenth of the timeout) runs in the request thread from then on, with the same
answer. Its cost is known: nothing is left for the
timeout to stop. Dashboards, the query page's examples and API clients that poll repeat their queries.

Not admitted: a query that calls a function whose value changes between runs (``NOW``, ``RAND``,
``UUID``, ``STRUUID``, ``BNODE``: a filter on ``NOW()`` could make a cheap query expensive later) or
names a ``SERVICE`` (a remote engine's cost is not ours); a request the worker refused or failed; any
request after a write (the book keys costs to the pool's generation). A run in the request thread that
takes more than four times the budget sends that request back to the workers.

No Flask here.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from kg.errors import QueryError
from server.guard import tokens
from server.results import Answer

#: Functions whose value differs from one run to the next (SPARQL 1.1, 17.4).
VOLATILE = frozenset({"NOW", "RAND", "UUID", "STRUUID", "BNODE"})
#: Requests whose costs are kept (the book is emptied when full).
ENTRIES = 1024
#: Longest query text kept (bodies may reach 1 MiB; the book must not hold a gigabyte of them).
MAX_TEXT = 16_384
#: A run in the request thread this many times over the budget sends its request back to the workers.
OVERRUN = 4.0


@functools.lru_cache(maxsize=ENTRIES)
def is_deterministic(sparql: str) -> bool:
    """Whether ``sparql`` calls none of the functions whose value changes between runs (cached per text).

    >>> is_deterministic('SELECT ?s { ?s ?p "NOW()" } # RAND()'), is_deterministic('SELECT (now() AS ?t) {}')
    (True, False)
    """
    try:
        return not any(tok.kind == "word" and tok.text.upper() in VOLATILE for tok in tokens(sparql))
    except QueryError:  # the lexer gave up on it: not known to be deterministic
        return False


@dataclass(frozen=True)
class Cost:
    """What a worker's answer to a request was like: the snapshot generation, its rows, whether truncated."""

    generation: int
    rows: int
    truncated: bool


class CostBook:
    """Seconds a worker took for recent requests, per snapshot generation; which may run in-thread."""

    def __init__(self, budget: float):
        #: seconds a request may have taken in a worker to be answered in the request thread (0: never)
        self.budget = budget
        self._lock = threading.Lock()
        self._cheap: dict[Hashable, Cost] = {}

    def admits(self, request: Hashable, generation: int) -> Cost | None:
        """The worker's answer to ``request``, if cheap, on this generation of the snapshot."""
        cost = self._cheap.get(request)
        return cost if cost is not None and cost.generation == generation else None

    def record(self, request: Hashable, sparql: str, references: Sequence[tuple[str, str]],
               generation: int, answer: Answer) -> None:
        """A worker gave ``answer`` to ``request`` on ``generation``: keep its cost if cheap and repeatable."""
        if answer.seconds is None or answer.seconds > self.budget or len(sparql) > MAX_TEXT:
            return
        if self.admits(request, generation):
            return
        if any(keyword == "SERVICE" for keyword, _ in references) or not is_deterministic(sparql):
            return
        with self._lock:
            if len(self._cheap) >= ENTRIES:
                self._cheap.clear()
            self._cheap[request] = Cost(generation, answer.rows, answer.truncated)

    def observe(self, request: Hashable, seconds: float) -> None:
        """A run in the request thread took ``seconds``: far over the budget, the workers take it back."""
        if seconds > OVERRUN * self.budget:
            with self._lock:
                self._cheap.pop(request, None)
