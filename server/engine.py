"""The server's view of a store: guarded, time- and memory-limited queries and updates.

One Engine per application. Every query takes one path: limits (server.limits: size and nesting, a 400
before anything else) → escapes decoded (the text the guard reads is the text that runs) → on a local
store, a worker process (server.executor: guard, run, serialise, under the timeout and the memory ceiling,
without network); on a remote engine, the guard in
this process and HTTP with the timeout as the socket deadline. Updates run in workers too. No Flask here.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import pyoxigraph as ox

from kg.errors import QueryError
from kg.sparql_lexer import decode_escapes
from kg.store import (
    Backend,
    LocalBackend,
    QueryResult,
    StoreSpec,
    StoreUnavailableError,
    engine_errors,
    open_store,
    run_local_query,
    run_local_update,
)
from kg.store.errors import first_line
from server import guard
from server.config import Settings
from server.executor import QueryPool, QueryRequest, UpdateRequest
from server.limits import check_limits
from server.results import Answer, render
from server.snapshots import Snapshots
from server.update_dataset import with_using


class Engine:
    """Runs queries and writes against one store with the server's safety rules."""

    def __init__(self, settings: Settings, backend: Backend | None = None):
        self.settings = settings
        self.backend: Backend = backend if backend is not None else open_store(settings.store)
        self._write_lock = threading.Lock()
        #: writes committed since start; the pages' caches are per generation (server.pagecache)
        self.generation = 0
        self._graphs: list[str] | None = None
        self._cache: dict[str, object] = {}
        self.pool: QueryPool | None = None
        #: protocol queries started (admission tests prove a refused query never gets here)
        self.queries_started = 0
        self.snapshots: Snapshots | None = None
        if settings.use_workers and isinstance(self.backend, LocalBackend):
            self.snapshots = Snapshots(self.backend)
            self.pool = QueryPool(self.snapshots.take(), size=settings.workers, timeout=settings.query_timeout,
                                  memory_limit=settings.memory_limit, allowed_hosts=settings.allowed_hosts)

    @property
    def spec(self) -> StoreSpec:
        return self.backend.spec

    @property
    def writable(self) -> bool:
        """Writes need a configured token."""
        return bool(self.settings.token)

    def graph_names(self) -> list[str]:
        """Named graphs of the store, cached until the next write."""
        if self._graphs is None:
            self._graphs = self.backend.graph_names()
        return self._graphs

    def _check(self, sparql: str, kind: str, dataset: Sequence[str], base: str | None) -> guard.Verdict:
        return guard.check(sparql, kind=kind, allowed_hosts=self.settings.allowed_hosts,
                           local_graphs=self.graph_names, dataset_iris=dataset, base=base)

    def query(self, request: QueryRequest) -> Answer:
        """Answer a protocol query: limits, guard, run within the timeout, serialise up to the row cap."""
        self.queries_started += 1
        check_limits(request.sparql)
        decoded = decode_escapes(request.sparql)
        if decoded != request.sparql:
            request = QueryRequest(decoded, *(getattr(request, f) for f in ("default_graphs", "named_graphs",
                                   "accept", "format", "row_limit", "base_iri")))
        if self.pool is not None:
            answer = self.pool.run(request)
            self._prune()
            return answer
        dataset = (*request.default_graphs, *request.named_graphs)
        verdict = self._check(request.sparql, "query", dataset, request.base_iri)
        if isinstance(self.backend, LocalBackend):
            with engine_errors():  # results are lazy: rendering them raises the engine's errors too
                result = run_local_query(self.backend.store, request.sparql, request.default_graphs,
                                         request.named_graphs, base_iri=request.base_iri,
                                         union=not dataset and not verdict.has_dataset)
                return render(result, request.accept, request.format, request.row_limit)
        try:
            result = self.backend.query(
                request.sparql,
                default_graphs=request.default_graphs or None,
                named_graphs=request.named_graphs or None,
                timeout=self.settings.query_timeout,
            )
            return render(result, request.accept, request.format, request.row_limit)
        except OSError as exc:  # the engine's own I/O errors
            raise QueryError(f"query failed: {first_line(exc)}") from None
        except SyntaxError as exc:  # a remote engine's answer that does not parse
            raise StoreUnavailableError(f"the store's answer is unreadable: {str(exc)[:300]}") from None

    def update_change(self, sparql: str, base: str | None, using: Sequence[str] = (),
                      using_named: Sequence[str] = ()):  # type: ignore[no-untyped-def]
        """The change a SPARQL Update makes, as a function of a store copy (for server.writes.apply_change):
        limits and guard first; on a local store the update itself runs in a worker under the timeout and
        the memory ceiling, and the copy receives the statements it removed and added."""

        check_limits(sparql)
        checked = decode_escapes(sparql)
        text = with_using(checked, using, using_named)
        dataset = (*using, *using_named)
        if self.pool is None:
            self._check(checked, "update", dataset, base)

            def run_here(store: ox.Store) -> None:
                run_local_update(store, text, base)

            return run_here
        request = UpdateRequest(checked, text, base, tuple(dataset))

        def run_in_worker(store: ox.Store) -> None:
            assert self.pool is not None
            removed, added = self.pool.run_update(request)
            for quad in ox.parse(removed, format=ox.RdfFormat.N_QUADS):
                store.remove(quad)
            store.extend(ox.parse(added, format=ox.RdfFormat.N_QUADS))

        return run_in_worker

    def internal_query(self, sparql: str) -> QueryResult:
        """A query the server itself wrote (pages, counts): trusted, bounded, run directly."""
        if isinstance(self.backend, LocalBackend):
            return run_local_query(self.backend.store, sparql)
        return self.backend.query(sparql, timeout=self.settings.query_timeout)

    def select(self, sparql: str) -> list[dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]]:
        """Rows of an internal SELECT as dicts of bound variables."""
        result = self.internal_query(sparql)
        names = [v.value for v in result.variables]  # type: ignore[union-attr]
        rows = []
        for solution in result:  # type: ignore[union-attr]
            rows.append({n: solution[n] for n in names if solution[n] is not None})
        return rows

    def cached(self, key: str, compute):  # type: ignore[no-untyped-def]
        """A value computed once per store generation (counts for VoID and the service description)."""
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def after_write(self) -> None:
        """Forget caches and let the readers see the new data (a new snapshot; old ones go when unused)."""
        self.generation += 1
        self._graphs = None
        self._cache.clear()
        if self.pool is not None and self.snapshots is not None:
            self.pool.refresh(self.snapshots.take())
            self._prune()

    def _prune(self) -> None:
        if self.pool is not None and self.snapshots is not None:
            self.snapshots.prune(self.pool.paths_in_use())

    @property
    def write_lock(self) -> threading.Lock:
        return self._write_lock

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
        if self.snapshots is not None:
            self.snapshots.close()
        self.backend.close()


def graphs_param(values: Sequence[str]) -> tuple[str, ...]:
    """Protocol graph IRIs, stripped and de-duplicated in order."""
    seen: dict[str, None] = {}
    for value in values:
        value = value.strip()
        if value:
            seen.setdefault(value, None)
    return tuple(seen)
