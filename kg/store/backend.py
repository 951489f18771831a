"""What the server and the commands need of a store, whichever kind it is."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

import pyoxigraph as ox

from kg.store.spec import StoreSpec

#: Every backend answers with pyoxigraph result objects (a remote graph answer is a list of triples).
QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | list[ox.Triple] | bool


class Backend(Protocol):
    """What the server and the commands need of a store."""

    spec: StoreSpec

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        timeout: float | None = None,
    ) -> QueryResult:
        """Run a SPARQL query; with no default graph given, the default graph is the union of all graphs."""
        ...

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update, atomically where the engine allows."""
        ...

    def graph_names(self) -> list[str]:
        """The IRIs of the named graphs in the store."""
        ...

    def quads(self) -> list[ox.Quad]:
        """Every quad of the store (used to copy it before a checked write)."""
        ...

    def replace_graph(self, graph: str, triples: Iterable[ox.Triple]) -> None:
        """Make the named graph ``graph`` hold exactly ``triples``."""
        ...

    def replace_graphs(self, graphs: dict[str, set[ox.Triple]]) -> None:
        """Make each graph hold exactly its triples, all or nothing where the store allows."""
        ...

    def close(self) -> None:
        """Release the store (flushes an on-disk store)."""
        ...
