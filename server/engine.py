"""The server's view of a store: guarded, time-limited queries and checked writes.

One Engine per application. Queries on a local store run in worker processes (server.executor) so the
timeout really stops them; queries on a remote engine run over HTTP with the timeout as the socket
deadline. No Flask here, so the same rules serve the CLI and tests.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Sequence

import pyoxigraph as ox

from kg.errors import QueryError
from kg.store import (
    Backend,
    LocalBackend,
    QueryResult,
    StoreSpec,
    StoreUnavailableError,
    engine_errors,
    open_store,
    run_local_query,
)
from server import fastpath, guard
from server.config import Settings
from server.executor import QueryPool, QueryRequest, Snapshot
from server.results import Answer, negotiate, render, serialize_native

#: Query texts whose guard verdicts are kept (the map is emptied when full).
CHECKED_QUERIES = 1024
#: Longest query text whose verdict is kept (bodies may reach 1 MiB: the map must stay small).
CHECKED_TEXT = 16_384


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
        #: guard.check's verdicts on recent query texts (a repeated query is not lexed again), until a write:
        #: the references and whether the default graph is the union of all graphs
        self._checked: dict[tuple[str, tuple[str, ...], str | None], tuple[list[tuple[str, str]], bool]] = {}
        self.pool: QueryPool | None = None
        #: protocol queries started (admission tests prove a refused query never gets here)
        self.queries_started = 0
        self._snapshot: Snapshot | None = None
        self._reader: fastpath.Reader | None = None
        #: queries answered in the request thread (server.fastpath)
        self.small_queries = 0
        if settings.use_workers and isinstance(self.backend, LocalBackend):
            path = self._snapshot_path()
            self.pool = QueryPool(path, size=settings.workers, timeout=settings.query_timeout)

    @property
    def spec(self) -> StoreSpec:
        return self.backend.spec

    @property
    def writable(self) -> bool:
        """Writes need a configured token."""
        return bool(self.settings.token)

    def _snapshot_path(self) -> str:
        """The directory the workers open: the store itself on disk, a snapshot of a memory store."""
        assert isinstance(self.backend, LocalBackend)
        if self.backend.spec.kind == "path":
            self.backend.store.flush()
            return str(self.backend.spec.path)
        if self._snapshot is None:
            self._snapshot = Snapshot()
        return str(self._snapshot.write(self.backend.quads()))

    def graph_names(self) -> list[str]:
        """Named graphs of the store, cached until the next write."""
        if self._graphs is None:
            self._graphs = self.backend.graph_names()
        return self._graphs

    def check(self, sparql: str, dataset_iris: Collection[str] = (), base: str | None = None) -> list[tuple[str, str]]:
        """Refuse remote SERVICE/LOAD/FROM (raises guard.ForbiddenQueryError); returns the references."""
        return guard.check(
            sparql,
            allowed_hosts=self.settings.allowed_hosts,
            local_graphs=self.graph_names,
            dataset_iris=dataset_iris,
            base=base,
        )

    def query(self, request: QueryRequest) -> Answer:
        """Answer a protocol query: guard, run within the timeout, serialise up to the row cap."""
        self.queries_started += 1
        key = (request.sparql, (*request.default_graphs, *request.named_graphs), request.base_iri)
        verdict = self._checked.get(key)
        if verdict is None:
            references = self.check(*key)  # a refused query raises, and is checked again next time
            named = bool(request.default_graphs or request.named_graphs)
            verdict = (references, not named and not guard.has_dataset_clause(references))
            if len(request.sparql) <= CHECKED_TEXT:
                if len(self._checked) >= CHECKED_QUERIES:
                    self._checked.clear()
                self._checked[key] = verdict
        if request.union is None:
            request = request.with_union(verdict[1])
        if self.pool is not None:
            answer = self._small(request)
            return answer if answer is not None else self.pool.run(request)
        if isinstance(self.backend, LocalBackend):
            with engine_errors():  # results are lazy: rendering them raises the engine's errors too
                result = run_local_query(self.backend.store, request.sparql, request.default_graphs,
                                         request.named_graphs, base_iri=request.base_iri, union=request.union)
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
            raise QueryError(f"query failed: {str(exc).splitlines()[0][:300] if str(exc) else exc}") from None
        except SyntaxError as exc:  # a remote engine's answer that does not parse
            raise StoreUnavailableError(f"the store's answer is unreadable: {str(exc)[:300]}") from None

    def _small(self, request: QueryRequest) -> Answer | None:
        """Answer a single-pattern query in this thread (see server.fastpath), or None for the workers.

        The engine stops at the row cap itself (the query's LIMIT is capped at ROW_LIMIT + 1) and writes the
        answer natively; one more row than the cap means the answer is truncated, and is then asked for
        again with LIMIT ROW_LIMIT (the same snapshot and plan give the same first rows)."""
        if self.pool is None or len(request.default_graphs) + len(request.named_graphs) > fastpath.MAX_GRAPHS:
            return None
        shape = fastpath.single_pattern(request.sparql)
        if shape is None:
            return None
        store = self._view(self.pool)
        if store is None:
            return None
        self.small_queries += 1
        cap = request.row_limit
        with engine_errors():
            result = self._run(store, request, shape.capped(cap + 1))
            media = negotiate(request.accept, request.format, "solutions")  # after the engine's syntax errors
            body, rows = serialize_native(result, media, shape.bound)  # type: ignore[arg-type]
            truncated = rows > cap
            if truncated:
                again = self._run(store, request, shape.capped(cap))
                body, rows = serialize_native(again, media, shape.bound)  # type: ignore[arg-type]
        return Answer(media, body, truncated=truncated, rows=rows)

    def _view(self, pool: QueryPool) -> ox.Store | None:
        """This process's read-only view of the workers' snapshot (None if it cannot be opened here)."""
        if self._reader is None:
            self._reader = fastpath.Reader(lambda: pool.path)
        try:
            return self._reader.store(pool.generation)
        except OSError:
            return None  # the workers will say why

    @staticmethod
    def _run(store: ox.Store, request: QueryRequest, sparql: str) -> QueryResult:
        return run_local_query(store, sparql, request.default_graphs, request.named_graphs,
                               base_iri=request.base_iri, union=request.union)

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
        """Forget caches and let the workers see the new data."""
        self.generation += 1
        self._graphs = None
        self._cache.clear()
        self._checked.clear()  # a FROM that named no graph of the store may name one now, or the reverse
        if self.pool is not None:
            self.pool.refresh(self._snapshot_path())
        if self._reader is not None:
            self._reader.forget()

    @property
    def write_lock(self) -> threading.Lock:
        return self._write_lock

    def close(self) -> None:
        if self._reader is not None:
            self._reader.forget()
        if self.pool is not None:
            self.pool.close()
        if self._snapshot is not None:
            self._snapshot.close()
        self.backend.close()


def graphs_param(values: Sequence[str]) -> tuple[str, ...]:
    """Protocol graph IRIs, stripped and de-duplicated in order."""
    seen: dict[str, None] = {}
    for value in values:
        value = value.strip()
        if value:
            seen.setdefault(value, None)
    return tuple(seen)
