"""The embedded backend: a pyoxigraph Store in this process, in memory or on disk, and the query and update
functions the server's workers also use on their snapshots."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

import pyoxigraph as ox

from kg.errors import QueryError
from kg.sparql_lexer import has_dataset_clause
from kg.store.backend import QueryResult
from kg.store.errors import ENGINE_ERRORS, engine_errors, first_line
from kg.store.graphs import apply_graphs, graph_term
from kg.store.journal import Journal
from kg.store.spec import StoreSpec

T = TypeVar("T")


class LocalBackend:
    """A pyoxigraph Store in this process, in memory or on disk."""

    def __init__(self, store: ox.Store, spec: StoreSpec):
        self.store = store
        self.spec = spec

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        timeout: float | None = None,
    ) -> QueryResult:
        """Run a query in this thread (``timeout`` is not enforced here; the server uses worker processes)."""
        return run_local_query(self.store, sparql, default_graphs, named_graphs)

    def update(self, sparql: str) -> None:
        run_local_update(self.store, sparql)

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))

    def quads(self) -> list[ox.Quad]:
        return list(self.store)

    def replace_graph(self, graph: str, triples: Iterable[ox.Triple]) -> None:
        self.replace_graphs({graph: set(triples)})

    def replace_graphs(self, graphs: dict[str, set[ox.Triple]]) -> None:
        """Replace several graphs as one change: on disk through the write-ahead journal (see Journal)."""
        if self.spec.kind == "path" and self.spec.path is not None:
            journal = Journal(self.spec.path)
            journal.write(graphs)
            apply_graphs(self.store, graphs)
            self.store.flush()
            journal.clear()
        else:
            apply_graphs(self.store, graphs)

    def close(self) -> None:
        """Flush an on-disk store and let go of it (its lock is released when the last reference goes)."""
        if self.spec.kind == "path" and self.store is not None:
            self.store.flush()
        self.store = None  # type: ignore[assignment]


def run_local_query(
    store: ox.Store,
    sparql: str,
    default_graphs: Sequence[str] | None = None,
    named_graphs: Sequence[str] | None = None,
    *,
    base_iri: str | None = None,
    union: bool | None = None,
) -> QueryResult:
    """Run ``sparql`` on a pyoxigraph store with the protocol's dataset parameters.

    The dataset follows the SPARQL 1.1 Protocol: ``default_graphs``/``named_graphs`` (the protocol's
    ``default-graph-uri``/``named-graph-uri``) win when either is given, a graph the store does not hold
    being an empty graph; otherwise the query's ``FROM``/``FROM NAMED``; otherwise the default graph is
    the union of all graphs, so the inferred categories are seen beside the records. ``union`` says
    whether the query has no dataset clause of its own (None: look). Engine errors the query can cause
    (syntax, unknown function, bad IRI) raise QueryError; results are lazy, so iterate them inside
    :func:`kg.store.engine_errors` too.
    """
    options: dict[str, object] = {}
    with engine_errors():
        if default_graphs or named_graphs:
            options["default_graph"] = [graph_term(g) for g in default_graphs or ()]
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs or ()]
        elif union if union is not None else not has_dataset_clause(sparql):
            options["use_default_graph_as_union"] = True
        if base_iri:
            options["base_iri"] = base_iri
        return _tolerating_unknown_functions(lambda: store.query(sparql, **options), options)


def run_local_update(store: ox.Store, sparql: str, base_iri: str | None = None) -> None:
    """Run a SPARQL Update on a pyoxigraph store; engine errors raise QueryError (HTTP 400)."""
    options: dict[str, object] = {"base_iri": base_iri} if base_iri else {}
    try:
        _tolerating_unknown_functions(lambda: store.update(sparql, **options), options)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL update syntax error: {first_line(exc)}") from None
    except ENGINE_ERRORS as exc:
        raise QueryError(f"the update failed: {first_line(exc)}") from None


#: pyoxigraph's refusal of a function IRI it does not know.
_UNKNOWN_FUNCTION = re.compile(r"The custom function <([^<>\s]*)> is not supported")
#: At most this many distinct unknown functions per query or update.
MAX_UNKNOWN_FUNCTIONS = 16


def _no_value(*_args: object) -> None:
    """An unknown extension function: every call is an error (unbound in a SELECT or BIND, false in FILTER)."""
    return None


def _tolerating_unknown_functions(run: Callable[[], T], options: dict[str, object]) -> T:
    """``run()``, where a call to an extension function the engine does not know evaluates to an error, as
    SPARQL treats any expression error, instead of failing the whole query (pyoxigraph refuses it while
    planning, one function at a time, so each is registered as :func:`_no_value` and the query re-planned)."""
    functions: dict[ox.NamedNode, Callable[..., None]] = {}
    while True:
        try:
            return run()
        except RuntimeError as exc:
            match = _UNKNOWN_FUNCTION.search(str(exc))
            if match is None or len(functions) >= MAX_UNKNOWN_FUNCTIONS:
                raise
            try:
                name = ox.NamedNode(match.group(1))
            except ValueError:
                raise exc from None
            if name in functions:
                raise
            functions[name] = _no_value
            options["custom_functions"] = functions
